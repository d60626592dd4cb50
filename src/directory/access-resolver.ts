import type { Asker, Principal } from '../core/access.js';
import type { ConversationContext, ConversationTurn, Question } from '../core/answer-engine.js';
import type { ChatIdentity, Directory } from '../core/directory.js';
import { describeError } from '../core/errors.js';
import type { ChannelPolicyResolver } from './channel-policy.js';

/** A question as a chat surface receives it, before Docent knows what the asker and the channel may read. */
export interface IncomingQuestion {
  text: string;
  asker: ChatIdentity;
  conversation: ConversationContext;
  /**
   * Lists the channel's people (bots left out), for an answer everyone there sees.
   * Called only when the channel's answers use its members' common access.
   */
  members?: () => Promise<ChatIdentity[]>;
  history?: ConversationTurn[];
  /** Sources the asker chose; narrowed further by the channel's restriction. */
  sourceIds?: string[];
}

export interface AccessResolverOptions {
  /** Channels with more members than this answer from public documents only. */
  maximumCommonMembers: number;
  /** Where the reasons behind a fail-closed answer go (the asker sees a short notice only). */
  warn?: (message: string) => void;
}

/** Directory lookups in flight at once while resolving a channel's members. */
const memberLookupsAtOnce = 8;

/**
 * Turns what a chat surface knows (who asked, where, who else is there) into a question
 * whose access the answer engine enforces inside retrieval: the asker's principals from
 * the directory, the channel's source restriction, and for an answer posted in a channel
 * its audience.
 *
 * It fails closed: when the directory cannot be reached, or the asker or a member is not
 * in it, that person holds no principals, so the answer uses only documents open to
 * everyone, and says why in its notice. Nobody's failure ever widens an answer.
 */
export class AccessResolver {
  private readonly warn: (message: string) => void;

  constructor(
    /** Also for surfaces that only need a person's principals: `(await directory.resolve(identity)).principals`. */
    readonly directory: Directory,
    private readonly channels: ChannelPolicyResolver,
    private readonly options: AccessResolverOptions,
  ) {
    this.warn = options.warn ?? ((message) => console.warn(`docent: ${message}`));
  }

  /** The asker's principals, or none (with the reason for the answer's notice) when the directory cannot tell. */
  async asker(identity: ChatIdentity): Promise<{ asker: Asker; notice?: string }> {
    const asker: Asker = { id: `${identity.platform}:${identity.userId}`, principals: [] };
    try {
      const resolved = await this.directory.resolve(identity);
      asker.principals = resolved.principals;
      if (resolved.displayName) asker.displayName = resolved.displayName;
      if (!resolved.found && this.directory.kind !== 'none') return { asker, notice: 'You are not in the directory Docent uses, so this answer uses only documents open to everyone.' };
      return { asker };
    } catch (error) {
      this.warn(`could not resolve ${asker.id} in the ${this.directory.kind} directory; answering from documents open to everyone: ${describeError(error)}`);
      return { asker, notice: 'Your groups could not be looked up in the directory just now, so this answer uses only documents open to everyone; ask again later for your full access.' };
    }
  }

  async question(incoming: IncomingQuestion): Promise<Question> {
    const { asker, notice } = await this.asker(incoming.asker);
    const question: Question = { text: incoming.text, asker, conversation: incoming.conversation };
    if (incoming.history) question.history = incoming.history;
    if (incoming.sourceIds) question.sourceIds = incoming.sourceIds;
    if (notice) question.accessNotice = notice;
    return this.forConversation(question, incoming.members);
  }

  /**
   * Applies where a question was asked to a question whose asker is already resolved
   * (for surfaces that resolve askers themselves): the channel's source restriction
   * narrows the question's sources, and an answer posted in a channel gets its audience.
   */
  async forConversation(question: Question, members?: () => Promise<ChatIdentity[]>): Promise<Question> {
    const policy = await this.channels.policyFor(question.conversation);
    const result: Question = { ...question };
    const notices = question.accessNotice ? [question.accessNotice] : [];
    const sourceIds = narrowed(question.sourceIds, policy.sourceIds);
    if (sourceIds) result.sourceIds = sourceIds;
    if (question.conversation?.visibility === 'shared') {
      const audience = policy.audience === 'public' ? { audience: 'public' as const } : await this.commonAudience(question.conversation, members);
      result.audience = audience.audience;
      if (audience.notice) notices.push(audience.notice);
    }
    if (notices.length > 0) result.accessNotice = notices.join(' ');
    return result;
  }

  async close(): Promise<void> {
    await this.directory.close();
  }

  /** Every member's principals, one set per distinct combination; public documents only when the members cannot all be known. */
  private async commonAudience(conversation: ConversationContext, listMembers: (() => Promise<ChatIdentity[]>) | undefined): Promise<{ audience: Question['audience']; notice?: string }> {
    const publicOnly = (notice: string) => ({ audience: 'public' as const, notice });
    if (!listMembers) return publicOnly('Docent cannot see who is in this conversation, so this answer uses only documents open to everyone.');
    let members: ChatIdentity[];
    try {
      members = await listMembers();
    } catch (error) {
      this.warn(`could not list the members of ${conversation.platform} conversation ${conversation.channelId ?? '(unnamed)'}: ${describeError(error)}`);
      return publicOnly('Docent could not list who is in this conversation, so this answer uses only documents open to everyone.');
    }
    if (members.length > this.options.maximumCommonMembers) {
      return publicOnly(`This conversation has more than ${this.options.maximumCommonMembers} members, so answers here use only documents open to everyone.`);
    }
    const sets = new Map<string, Principal[]>();
    let unknown = 0;
    let unresolved = 0;
    for (let start = 0; start < members.length; start += memberLookupsAtOnce) {
      const batch = await Promise.all(
        members.slice(start, start + memberLookupsAtOnce).map(async (member) => {
          try {
            const resolved = await this.directory.resolve(member);
            if (!resolved.found) unknown++;
            return resolved.principals;
          } catch (error) {
            unresolved++;
            this.warn(`could not resolve channel member ${member.platform}:${member.userId}; the answer uses documents open to everyone: ${describeError(error)}`);
            return [];
          }
        }),
      );
      for (const principals of batch) {
        const set = [...new Set(principals)].sort();
        sets.set(set.join('\n'), set);
      }
    }
    const audience = { members: [...sets.values()] };
    if (unresolved > 0) return { audience, notice: `The groups of ${unresolved} member(s) of this conversation could not be looked up in the directory just now, so this answer uses only documents open to everyone.` };
    if (unknown > 0 && this.directory.kind !== 'none') return { audience, notice: `${unknown} member(s) of this conversation are not in the directory (guests or external people), so this answer uses only documents open to everyone.` };
    return { audience };
  }
}

/** The sources both the asker and the channel allow; an empty list (nothing in common) answers from nothing. */
function narrowed(asked: string[] | undefined, allowed: string[] | undefined): string[] | undefined {
  if (!asked) return allowed;
  if (!allowed) return asked;
  return asked.filter((id) => allowed.includes(id));
}

import type { webApi } from '@slack/bolt';
import type { Asker } from '../../core/access.js';
import type { ConversationContext, ConversationTurn, Question } from '../../core/answer-engine.js';
import type { ChatIdentity } from '../../core/directory.js';
import { describeError } from '../../core/errors.js';
import type { AudienceRequest, AudienceResolution } from '../audience-resolver.js';
import type { SlackIdentities } from './slack-identity.js';
import type { SlackSurfaceLogger } from './slack-logger.js';
import type { SlackMembers } from './slack-members.js';

/**
 * Docent's permission code as a chat surface uses it (src/directory/access-resolver.ts
 * implements it): the asker's principals from the directory, then where the question was
 * asked: the channel's source restriction and, for an answer the channel reads, every
 * member's access.
 */
export interface SlackAccess {
  asker(identity: ChatIdentity): Promise<{ asker: Asker; notice?: string }>;
  forConversation(question: Question, members?: () => Promise<ChatIdentity[]>): Promise<Question>;
}

/** A question as asked in Slack, before the asker is resolved. */
export interface SlackQuestion {
  text: string;
  userId: string;
  teamId: string | undefined;
  channelId: string;
  /** The thread the question and answer belong to, if any. */
  threadTs?: string;
  /** `shared` for a channel reply everybody there reads; `private` for a direct message or ephemeral reply. */
  visibility: 'private' | 'shared';
  /** Key of the conversation memory that holds earlier turns; none for one-off questions. */
  memoryKey?: string;
}

/** Who reads a channel answer, the same function the Teams surface takes (src/chat/audience-resolver.ts makes one). */
export type AudienceResolver = (request: AudienceRequest) => Promise<AudienceResolution>;

export const audienceUnknownNotice = 'The members of this channel could not be looked up just now, so this answer uses only documents open to everyone.';

export interface QuestionResolution {
  identities: SlackIdentities;
  members: SlackMembers;
  logger: SlackSurfaceLogger;
  /**
   * The permission code itself; it also applies a channel's source restriction. Without
   * it: the asker holds `user:<slack id>` and `user:<e-mail>` plus what `resolvePrincipals`
   * adds, and a channel answer gets its audience from `resolveAudience`, or else public documents only.
   */
  access?: SlackAccess;
  resolveAudience?: AudienceResolver;
  /** Channels with more members than this answer from public documents only (`channels.maximumCommonMembers`). */
  maximumChannelMembers: number;
}

/**
 * The channel's people for the permission code. A channel larger than the maximum is
 * not read in full (a large workspace's #general would take hundreds of calls): the list
 * then stands for it by its size alone, which is all the permission code looks at before
 * it answers from public documents.
 */
function channelPeople(resolution: QuestionResolution, client: webApi.WebClient, asked: SlackQuestion): () => Promise<ChatIdentity[]> {
  return async () => {
    const people = await resolution.members.list(client, asked.channelId, asked.teamId, resolution.maximumChannelMembers);
    return people ?? Array.from({ length: resolution.maximumChannelMembers + 1 }, (_, index) => ({ platform: 'slack', userId: `unlisted-${index}` }));
  };
}

/** The question the engine gets: who asks (with their access), where, and the thread's earlier turns. */
export async function resolveQuestion(resolution: QuestionResolution, client: webApi.WebClient, asked: SlackQuestion, history: ConversationTurn[], signal?: AbortSignal): Promise<Question> {
  const conversation: ConversationContext = {
    platform: 'slack',
    channelId: asked.channelId,
    ...(asked.teamId ? { teamId: asked.teamId } : {}),
    ...(asked.threadTs ? { threadId: asked.threadTs } : {}),
    visibility: asked.visibility,
  };
  const earlier = history.length > 0 ? { history } : {};
  if (!resolution.access) {
    const { asker, accessNotice } = await resolution.identities.askerFor(client, asked.userId, asked.teamId);
    const question: Question = { text: asked.text, asker, conversation, ...earlier };
    const notices = accessNotice ? [accessNotice] : [];
    if (asked.visibility === 'shared' && resolution.resolveAudience) {
      try {
        const listMembers = (maximum: number) => resolution.members.list(client, asked.channelId, asked.teamId, maximum);
        const resolved = await resolution.resolveAudience({ conversation, listMembers, ...(signal ? { signal } : {}) });
        question.audience = resolved.audience;
        if (resolved.accessNotice) notices.push(resolved.accessNotice);
      } catch (error) {
        // Fail closed: not knowing who reads the answer leaves documents open to everyone.
        resolution.logger.warn({ channel: asked.channelId, error: describeError(error) }, 'the channel audience could not be resolved; answering from documents open to everyone');
        question.audience = 'public';
        notices.push(audienceUnknownNotice);
      }
    }
    if (notices.length > 0) question.accessNotice = notices.join(' ');
    return question;
  }
  const identity = await resolution.identities.identityOf(client, asked.userId, asked.teamId);
  const { asker, notice } = await resolution.access.asker(identity);
  const question: Question = { text: asked.text, asker, conversation, ...earlier, ...(notice ? { accessNotice: notice } : {}) };
  return resolution.access.forConversation(question, channelPeople(resolution, client, asked));
}

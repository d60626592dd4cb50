import { TeamsInfo, type TurnContext } from 'botbuilder';
import { userPrincipal, type Asker, type Audience, type Principal } from '../../core/access.js';
import type { ConversationContext } from '../../core/answer-engine.js';
import type { ChatIdentity } from '../../core/directory.js';
import { describeError } from '../../core/errors.js';
import { ExpiringMap } from '../expiring-map.js';
import { silentLogger, type SurfaceLogger } from './surface-logger.js';

/**
 * Finds the groups and other principals a person holds (a directory: LDAP, a static
 * mapping). Throws when it cannot answer; the asker then gets their own user principals only.
 */
export type PrincipalResolver = (identity: ChatIdentity, options?: { signal?: AbortSignal }) => Promise<Principal[]>;

/**
 * Who reads an answer posted in a group chat or channel: the site's policy (every
 * member's common documents, or public ones only) applied to the people Teams lists. A
 * shared question without an audience uses only documents open to everyone.
 */
export type AudienceResolver = (request: {
  conversation: ConversationContext;
  /** The conversation's members (the team's roster for a channel); undefined when there are more than `maximum`. */
  listMembers(maximum: number): Promise<ChatIdentity[] | undefined>;
  signal?: AbortSignal;
}) => Promise<{ audience: Audience; accessNotice?: string; sourceIds?: string[] }>;

export const audienceUnknownNotice = "The members of this conversation could not be looked up just now, so this answer uses only documents open to everyone.";

/** The asker id of a Teams user in answers, feedback and the audit log, as other surfaces prefix theirs. */
export function teamsAskerId(aadObjectId: string): string {
  return `teams:${aadObjectId}`;
}

/** A Teams user as Docent identifies them. */
export interface TeamsAsker {
  asker: Asker;
  identity: ChatIdentity;
  /** Set when the answer may use fewer documents than the asker usually reads, and why. */
  accessNotice?: string;
}

export interface TeamsAskerResolverOptions {
  resolvePrincipals?: PrincipalResolver;
  logger?: SurfaceLogger;
  /** How long a member's UPN and e-mail are reused before Teams is asked again (default 1 hour). */
  memberCacheMs?: number;
  now?: () => number;
}

interface MemberDetails {
  upn?: string;
  email?: string;
}

export const directoryUnavailableNotice =
  'Your groups could not be looked up just now, so this answer uses only documents shared with you by name or with everyone.';

/**
 * Who sent an activity: the AAD object id Teams puts in `from.aadObjectId`, and the UPN and
 * e-mail that only the conversation's member record holds (one connector call per person,
 * cached), then whatever the directory adds for that identity.
 */
export class TeamsAskerResolver {
  private readonly members: ExpiringMap<MemberDetails>;
  private readonly logger: SurfaceLogger;

  constructor(private readonly options: TeamsAskerResolverOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    const cacheOptions: ConstructorParameters<typeof ExpiringMap>[0] = { maxEntries: 10_000, expireAfterMs: options.memberCacheMs ?? 60 * 60 * 1000 };
    if (options.now) cacheOptions.now = options.now;
    this.members = new ExpiringMap(cacheOptions);
  }

  /** The sender's identity from the activity alone, without asking Teams or the directory (for feedback clicks). */
  basic(context: TurnContext): TeamsAsker {
    const from = context.activity.from;
    const userId = from.aadObjectId ?? from.id;
    const identity: ChatIdentity = { platform: 'teams', userId };
    return { asker: { id: teamsAskerId(userId), principals: [userPrincipal(userId)] }, identity };
  }

  async resolve(context: TurnContext, signal?: AbortSignal): Promise<TeamsAsker> {
    const { asker, identity } = this.basic(context);
    const member = await this.memberDetails(context);
    if (member.upn) identity.upn = member.upn;
    if (member.email) identity.email = member.email;
    const principals = new Set(asker.principals);
    if (member.upn) principals.add(userPrincipal(member.upn));
    const result: TeamsAsker = { asker, identity };
    if (this.options.resolvePrincipals) {
      try {
        for (const principal of await this.options.resolvePrincipals(identity, signal ? { signal } : {})) principals.add(principal);
      } catch (error) {
        // Fail closed: without the directory the asker keeps only what names them directly.
        this.logger.warn({ userId: identity.userId, error: describeError(error) }, 'directory lookup failed');
        result.accessNotice = directoryUnavailableNotice;
      }
    }
    asker.principals = [...principals];
    return result;
  }

  private async memberDetails(context: TurnContext): Promise<MemberDetails> {
    const from = context.activity.from;
    const key = `${context.activity.conversation?.tenantId ?? ''}\u0000${from.id}`;
    const cached = this.members.get(key);
    if (cached) return cached;
    try {
      const member = await TeamsInfo.getMember(context, from.id);
      const details: MemberDetails = {};
      if (member.userPrincipalName) details.upn = member.userPrincipalName;
      if (member.email) details.email = member.email;
      this.members.set(key, details);
      return details;
    } catch (error) {
      // Not cached: the next question tries again. The AAD object id alone still identifies the asker.
      this.logger.warn({ userId: from.aadObjectId ?? from.id, error: describeError(error) }, 'could not read the Teams member record');
      return {};
    }
  }
}

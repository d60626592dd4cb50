import type { webApi } from '@slack/bolt';
import { userPrincipal, type Asker, type Principal } from '../../core/access.js';
import type { ChatIdentity } from '../../core/directory.js';
import { describeError } from '../../core/errors.js';
import { ExpiringMap } from '../expiring-map.js';
import type { SlackSurfaceLogger } from './slack-logger.js';

/** Principals the organisation's directory gives a person (groups); a directory outage rejects. */
export type ResolvePrincipals = (identity: ChatIdentity) => Promise<Principal[]>;

export interface SlackAsker {
  asker: Asker;
  identity: ChatIdentity;
  /** Set when the asker's groups could not be resolved, so the answer may use fewer documents. */
  accessNotice?: string;
}

export interface SlackIdentitiesOptions {
  resolvePrincipals?: ResolvePrincipals;
  logger: SlackSurfaceLogger;
  /** How long a user's e-mail address is reused before `users.info` is asked again. */
  cacheMs?: number;
  now?: () => number;
}

export const directoryUnavailableNotice = 'The company directory could not be reached, so this answer uses only documents shared with everyone or with you by name.';

/** The asker's id in the audit record and feedback: the platform keeps it apart from other platforms' ids. */
export function slackAskerId(userId: string): string {
  return `slack:${userId}`;
}

/**
 * Who is asking, as Docent's permission filter needs it: the Slack user id and the e-mail
 * address of the profile (`users.info`, which needs the `users:read.email` scope), each
 * as a `user:` principal, plus the groups the directory resolver finds. E-mail addresses
 * are cached because every question would otherwise cost a Web API call (Tier 4, but
 * still a round trip before retrieval can start).
 */
/** What `users.info` tells about a person that Docent uses. */
export interface SlackProfile {
  email?: string;
  /** Bots and apps are channel members too, but never read answers. */
  isBot: boolean;
  deleted: boolean;
}

export class SlackIdentities {
  private readonly profiles: ExpiringMap<Promise<SlackProfile | undefined>>;

  constructor(private readonly options: SlackIdentitiesOptions) {
    this.profiles = new ExpiringMap({ expireAfterMs: options.cacheMs ?? 60 * 60 * 1000, maxEntries: 20_000, ...(options.now ? { now: options.now } : {}) });
  }

  async askerFor(client: webApi.WebClient, userId: string, teamId: string | undefined): Promise<SlackAsker> {
    const identity = await this.identityOf(client, userId, teamId);
    const principals = new Set<Principal>([userPrincipal(userId)]);
    if (identity.email) principals.add(userPrincipal(identity.email));
    let accessNotice: string | undefined;
    if (this.options.resolvePrincipals) {
      try {
        for (const principal of await this.options.resolvePrincipals(identity)) principals.add(principal);
      } catch (error) {
        // Fail closed: without the directory the asker keeps only what names them directly.
        this.options.logger.warn({ user: userId, error: describeError(error) }, 'directory lookup failed; answering from documents open to everyone or to the user by name');
        accessNotice = directoryUnavailableNotice;
      }
    }
    return { asker: { id: slackAskerId(userId), principals: [...principals] }, identity, ...(accessNotice ? { accessNotice } : {}) };
  }

  /** The person as the directory matches them: Slack user id, and profile e-mail when Slack gives it. */
  async identityOf(client: webApi.WebClient, userId: string, teamId: string | undefined): Promise<ChatIdentity> {
    const email = (await this.profileOf(client, userId, teamId))?.email;
    return { platform: 'slack', userId, ...(email ? { email } : {}) };
  }

  /** The cached profile, or undefined when Slack would not say (missing scope, unknown user, network). */
  profileOf(client: webApi.WebClient, userId: string, teamId: string | undefined): Promise<SlackProfile | undefined> {
    const key = `${teamId ?? ''}:${userId}`;
    const cached = this.profiles.get(key);
    if (cached) return cached;
    const lookup = client.users.info({ user: userId }).then(
      (result): SlackProfile => {
        const email = (result.user?.profile as { email?: unknown } | undefined)?.email;
        return { ...(typeof email === 'string' && email.includes('@') ? { email } : {}), isBot: result.user?.is_bot === true || userId === 'USLACKBOT', deleted: result.user?.deleted === true };
      },
      (error: unknown) => {
        // Not cached: a missing scope is fixed by an admin, a network error passes.
        this.profiles.delete(key);
        this.options.logger.warn({ user: userId, error: describeError(error) }, "users.info failed; going on without the user's e-mail");
        return undefined;
      },
    );
    this.profiles.set(key, lookup);
    return lookup;
  }
}

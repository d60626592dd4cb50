import type { webApi } from '@slack/bolt';
import type { ChatIdentity } from '../../core/directory.js';
import { ExpiringMap } from '../expiring-map.js';
import type { SlackIdentities } from './slack-identity.js';

/** `conversations.members` returns at most this many per page. */
const pageSize = 200;
/** users.info calls in flight at once while resolving a channel's people. */
const lookupsAtOnce = 8;

/**
 * The people in a channel, for an answer every one of them reads: the member ids from
 * `conversations.members` (scopes `channels:read`, `groups:read`), each with the e-mail of
 * their profile (cached by SlackIdentities), bots and deactivated accounts left out.
 * Lists are reused for a few minutes and forgotten as soon as Slack says someone joined or
 * left, so a newcomer never reads an answer chosen for the channel without them.
 */
export class SlackMembers {
  private readonly lists: ExpiringMap<Promise<string[] | undefined>>;

  constructor(
    private readonly identities: SlackIdentities,
    options: { cacheMs?: number; now?: () => number } = {},
  ) {
    this.lists = new ExpiringMap({ expireAfterMs: options.cacheMs ?? 5 * 60 * 1000, maxEntries: 2_000, ...(options.now ? { now: options.now } : {}) });
  }

  /** The channel's people, or undefined when it has more than `maximum` members (only that many are read). */
  async list(client: webApi.WebClient, channelId: string, teamId: string | undefined, maximum: number): Promise<ChatIdentity[] | undefined> {
    const key = `${teamId ?? ''}:${channelId}:${maximum}`;
    let ids = this.lists.get(key);
    if (!ids) {
      ids = this.memberIds(client, channelId, maximum);
      this.lists.set(key, ids);
      // A failed listing is not kept: the next question tries again.
      ids.catch(() => this.lists.delete(key));
    }
    const memberIds = await ids;
    if (!memberIds) return undefined;
    const people: ChatIdentity[] = [];
    for (let start = 0; start < memberIds.length; start += lookupsAtOnce) {
      const batch = await Promise.all(
        memberIds.slice(start, start + lookupsAtOnce).map(async (userId) => {
          const profile = await this.identities.profileOf(client, userId, teamId);
          if (profile?.isBot || profile?.deleted) return undefined;
          // A person whose profile could not be read still counts, by id alone: leaving them out could widen the answer.
          const identity: ChatIdentity = { platform: 'slack', userId, ...(profile?.email ? { email: profile.email } : {}) };
          return identity;
        }),
      );
      for (const identity of batch) if (identity) people.push(identity);
    }
    return people;
  }

  /** Someone joined or left: the next answer in the channel lists its members again. */
  forget(channelId: string): void {
    this.lists.deleteWhere((key) => key.split(':')[1] === channelId);
  }

  private async memberIds(client: webApi.WebClient, channelId: string, maximum: number): Promise<string[] | undefined> {
    const ids: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await client.conversations.members({ channel: channelId, limit: pageSize, ...(cursor ? { cursor } : {}) });
      ids.push(...(page.members ?? []));
      if (ids.length > maximum) return undefined;
      cursor = page.response_metadata?.next_cursor || undefined;
    } while (cursor);
    return ids;
  }
}

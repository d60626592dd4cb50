import { TeamsInfo, type TurnContext } from 'botbuilder';
import type { ChatIdentity } from '../../core/directory.js';
import { ExpiringMap } from '../expiring-map.js';

/** Teams returns at most 500 members per page. */
const pageSize = 500;

/**
 * The people in a Teams conversation, as chat identities: the team's roster for a channel
 * (never smaller than a private channel's membership, so an answer meant for all of them
 * is never wider than it should be), the members of a group chat. Lists are reused for a
 * few minutes: a busy channel would otherwise page through its roster on every question.
 */
export class TeamsMembers {
  private readonly lists = new ExpiringMap<ChatIdentity[] | 'too many'>({ maxEntries: 1000, expireAfterMs: 5 * 60 * 1000 });

  /** Undefined when the conversation has more than `maximum` members (only that many are read). */
  async list(context: TurnContext, maximum: number): Promise<ChatIdentity[] | undefined> {
    const activity = context.activity;
    const teamId = (activity.channelData as { team?: { id?: string } } | undefined)?.team?.id;
    const key = `${maximum}\u0000${teamId ?? activity.conversation?.id ?? ''}`;
    const cached = this.lists.get(key);
    if (cached) return cached === 'too many' ? undefined : cached;
    const members: ChatIdentity[] = [];
    let continuationToken: string | undefined;
    do {
      const page = await TeamsInfo.getPagedMembers(context, pageSize, continuationToken);
      for (const member of page.members ?? []) {
        const identity: ChatIdentity = { platform: 'teams', userId: member.aadObjectId ?? member.id };
        if (member.userPrincipalName) identity.upn = member.userPrincipalName;
        if (member.email) identity.email = member.email;
        members.push(identity);
      }
      continuationToken = page.continuationToken || undefined;
    } while (continuationToken && members.length <= maximum);
    const result = members.length > maximum ? 'too many' : members;
    this.lists.set(key, result);
    return result === 'too many' ? undefined : result;
  }
}

import type { Audience } from '../core/access.js';
import type { ConversationContext, Question } from '../core/answer-engine.js';
import type { ChatIdentity } from '../core/directory.js';
import type { AccessResolver } from '../directory/access-resolver.js';

/** What a chat surface asks before answering in a shared conversation. */
export interface AudienceRequest {
  conversation: ConversationContext;
  /** The conversation's members; undefined when there are more than `maximum`. */
  listMembers(maximum: number): Promise<ChatIdentity[] | undefined>;
  signal?: AbortSignal;
}

export type AudienceResolution = { audience: Audience; accessNotice?: string; sourceIds?: string[] };

/**
 * The site's channel policy for chat surfaces: who reads an answer posted in a channel
 * (every member's common access, or public documents only), decided by the access
 * resolver from the members the platform lists, and the sources an admin restricted the
 * channel to. More members than the policy allows, or
 * members that cannot be listed, mean public documents only.
 */
export function audienceResolverFor(access: AccessResolver, maximumMembers: number): (request: AudienceRequest) => Promise<AudienceResolution> {
  return async ({ conversation, listMembers }) => {
    const shell: Question = { text: '', asker: { id: 'audience', principals: [] }, conversation };
    let tooMany = false;
    // Listed only when the channel's policy asks for its members' common access.
    const members = async (): Promise<ChatIdentity[]> => {
      const listed = await listMembers(maximumMembers);
      if (listed) return listed;
      tooMany = true;
      return [];
    };
    const resolved = await access.forConversation(shell, members);
    const restriction = resolved.sourceIds ? { sourceIds: resolved.sourceIds } : {};
    if (tooMany) return { audience: 'public', accessNotice: `This conversation has more than ${maximumMembers} members, so answers here use only documents open to everyone.`, ...restriction };
    const audience = resolved.audience ?? 'public';
    return { audience, ...(resolved.accessNotice ? { accessNotice: resolved.accessNotice } : {}), ...restriction };
  };
}

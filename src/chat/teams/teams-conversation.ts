import type { Activity } from 'botbuilder';
import type { ConversationContext } from '../../core/answer-engine.js';

/** Teams' `channelData` on activities from a team; other fields are ignored. */
interface TeamsChannelData {
  team?: { id?: string };
  channel?: { id?: string };
}

/**
 * Where a Teams message was posted, as the answer engine needs it: a personal chat is
 * private (only the asker reads the answer); a group chat or a channel is shared.
 *
 * A channel post and its replies form one conversation whose id is the channel id plus
 * `;messageid=<root post id>`, so the root id is the thread.
 */
export function teamsConversation(activity: Partial<Activity>): ConversationContext {
  const conversation = activity.conversation;
  const channelData = (activity.channelData ?? {}) as TeamsChannelData;
  const type = conversation?.conversationType ?? (conversation?.isGroup ? 'groupChat' : 'personal');
  const conversationId = conversation?.id ?? '';
  const [rootId, threadPart] = conversationId.split(';messageid=');
  const context: ConversationContext = {
    platform: 'teams',
    channelId: channelData.channel?.id ?? rootId ?? conversationId,
    visibility: type === 'personal' ? 'private' : 'shared',
  };
  if (channelData.team?.id) context.teamId = channelData.team.id;
  if (type === 'channel' && threadPart) context.threadId = threadPart;
  return context;
}

/**
 * Conversation memory key: the conversation id, which Teams already scopes to one
 * personal chat, one group chat or one channel thread, so a follow-up in a thread sees
 * that thread's earlier turns and nothing from the rest of the channel.
 */
export function conversationMemoryKey(activity: Partial<Activity>): string {
  return `teams:${activity.conversation?.id ?? ''}`;
}

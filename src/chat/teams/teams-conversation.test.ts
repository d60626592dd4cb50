import { describe, expect, it } from 'vitest';
import { conversationMemoryKey, teamsConversation } from './teams-conversation.js';

describe('teamsConversation', () => {
  it('makes a personal chat private', () => {
    expect(teamsConversation({ conversation: { id: 'a:1xyz', conversationType: 'personal', isGroup: false, name: '' } })).toEqual({ platform: 'teams', channelId: 'a:1xyz', visibility: 'private' });
  });

  it('makes a channel thread shared, naming channel, team and thread', () => {
    const activity = {
      conversation: { id: '19:c@thread.tacv2;messageid=1700', conversationType: 'channel', isGroup: true, name: '' },
      channelData: { channel: { id: '19:c@thread.tacv2' }, team: { id: '19:t@thread.tacv2' } },
    };
    expect(teamsConversation(activity)).toEqual({ platform: 'teams', channelId: '19:c@thread.tacv2', teamId: '19:t@thread.tacv2', threadId: '1700', visibility: 'shared' });
    expect(conversationMemoryKey(activity)).toBe('teams:19:c@thread.tacv2;messageid=1700');
  });

  it('makes a group chat shared, and treats an untyped group conversation as one', () => {
    expect(teamsConversation({ conversation: { id: '19:g@thread.v2', conversationType: 'groupChat', isGroup: true, name: '' } })).toEqual({ platform: 'teams', channelId: '19:g@thread.v2', visibility: 'shared' });
    expect(teamsConversation({ conversation: { id: 'emulator-1', isGroup: true } as never }).visibility).toBe('shared');
  });
});

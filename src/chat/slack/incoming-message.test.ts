import { describe, expect, it } from 'vitest';
import { conversationKey, incomingMessage, isDirectMessage } from './incoming-message.js';

const base = { type: 'message', user: 'U1', text: 'hello', ts: '1.000001', channel: 'C1', channel_type: 'channel', team: 'TUSER' };

describe('incomingMessage', () => {
  it('takes a person\'s new message, thread replies and broadcasts included', () => {
    expect(incomingMessage({ ...base, thread_ts: '0.5' }, 'T1')).toEqual({ channelId: 'C1', channelType: 'channel', userId: 'U1', text: 'hello', ts: '1.000001', threadTs: '0.5', teamId: 'T1' });
    expect(incomingMessage({ ...base, subtype: 'thread_broadcast', thread_ts: '0.5' }, 'T1')?.userId).toBe('U1');
    expect(incomingMessage({ ...base, subtype: 'file_share' }, undefined)?.teamId).toBe('TUSER');
  });

  it('refuses bots, apps, edits, deletions and system messages', () => {
    expect(incomingMessage({ ...base, bot_id: 'B1' }, 'T1')).toBeUndefined();
    expect(incomingMessage({ ...base, subtype: 'bot_message', bot_id: 'B1' }, 'T1')).toBeUndefined();
    expect(incomingMessage({ ...base, app_id: 'A1' }, 'T1')).toBeUndefined();
    expect(incomingMessage({ ...base, edited: { user: 'U1', ts: '2.0' } }, 'T1')).toBeUndefined();
    for (const subtype of ['message_changed', 'message_deleted', 'channel_join', 'channel_topic', 'message_replied']) {
      expect(incomingMessage({ ...base, subtype }, 'T1')).toBeUndefined();
    }
    expect(incomingMessage({ ...base, user: undefined }, 'T1')).toBeUndefined();
  });
});

describe('isDirectMessage', () => {
  it('knows a direct message by its channel type, or its id on app_mention events that carry none', () => {
    expect(isDirectMessage(incomingMessage({ ...base, channel_type: 'im', channel: 'D1' }, 'T1')!)).toBe(true);
    expect(isDirectMessage(incomingMessage({ ...base, channel_type: undefined, channel: 'D1' }, 'T1')!)).toBe(true);
    expect(isDirectMessage(incomingMessage({ ...base, channel_type: 'mpim', channel: 'G1' }, 'T1')!)).toBe(false);
  });
});

describe('conversationKey', () => {
  it('keeps threads and direct message conversations apart', () => {
    expect(conversationKey('T1', 'C1', '1.0')).not.toBe(conversationKey('T1', 'C1', '2.0'));
    expect(conversationKey('T1', 'D1', undefined)).toBe('slack:T1:D1:');
  });
});

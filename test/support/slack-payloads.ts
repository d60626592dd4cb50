/**
 * Payloads as Slack sends them to an app, in the documented shapes: the Events API
 * `event_callback` envelope with `app_mention` and `message` events, slash command
 * fields, and `block_actions` for button clicks. The same payloads travel over HTTP and
 * inside Socket Mode envelopes.
 */
import { randomUUID } from 'node:crypto';

export const teamId = 'T0001';
export const appId = 'A0001';
export const botUserId = 'UDOCENT';

let tsCounter = 0;
/** A fresh message timestamp (a message's id within its channel). */
export function nextTs(): string {
  tsCounter += 1;
  return `${1_767_000_000 + tsCounter}.${String(tsCounter).padStart(6, '0')}`;
}

export function eventCallback(event: Record<string, unknown>, options: { eventId?: string } = {}): Record<string, unknown> & { event_id: string } {
  return {
    token: 'legacy-verification-token',
    team_id: teamId,
    context_team_id: teamId,
    api_app_id: appId,
    event,
    type: 'event_callback',
    event_id: options.eventId ?? `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: teamId, user_id: botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
    event_context: `4-${randomUUID()}`,
  };
}

export interface MessageFields {
  user?: string;
  text: string;
  channel: string;
  ts?: string;
  threadTs?: string;
  channelType?: 'channel' | 'group' | 'im' | 'mpim';
  subtype?: string;
  botId?: string;
  edited?: boolean;
}

function messageBody(fields: MessageFields): Record<string, unknown> {
  const ts = fields.ts ?? nextTs();
  return {
    ...(fields.user ? { user: fields.user } : {}),
    text: fields.text,
    ts,
    channel: fields.channel,
    event_ts: ts,
    team: teamId,
    blocks: [{ type: 'rich_text', block_id: 'b1', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: fields.text }] }] }],
    ...(fields.threadTs ? { thread_ts: fields.threadTs } : {}),
    ...(fields.subtype ? { subtype: fields.subtype } : {}),
    ...(fields.botId ? { bot_id: fields.botId, bot_profile: { id: fields.botId, name: 'other bot' } } : {}),
    ...(fields.edited ? { edited: { user: fields.user, ts: nextTs() } } : {}),
  };
}

export function appMentionEvent(fields: MessageFields): Record<string, unknown> {
  return { type: 'app_mention', ...messageBody(fields) };
}

export function messageEvent(fields: MessageFields): Record<string, unknown> {
  return { type: 'message', channel_type: fields.channelType ?? 'channel', ...messageBody(fields) };
}

/** A `message_changed` event: what Slack sends when someone edits a message. */
export function messageChangedEvent(fields: MessageFields): Record<string, unknown> {
  const ts = fields.ts ?? nextTs();
  return {
    type: 'message',
    subtype: 'message_changed',
    channel: fields.channel,
    channel_type: fields.channelType ?? 'channel',
    hidden: true,
    ts: nextTs(),
    event_ts: nextTs(),
    message: { type: 'message', user: fields.user, text: fields.text, ts, edited: { user: fields.user, ts: nextTs() } },
    previous_message: { type: 'message', user: fields.user, text: 'before the edit', ts },
  };
}

export function slashCommandFields(fields: { text: string; userId: string; channelId: string; responseUrl: string; command?: string }): Record<string, string> {
  return {
    token: 'legacy-verification-token',
    team_id: teamId,
    team_domain: 'acme',
    channel_id: fields.channelId,
    channel_name: fields.channelId.startsWith('D') ? 'directmessage' : 'general',
    user_id: fields.userId,
    user_name: fields.userId.toLowerCase(),
    command: fields.command ?? '/docent',
    text: fields.text,
    api_app_id: appId,
    is_enterprise_install: 'false',
    response_url: fields.responseUrl,
    trigger_id: `${Date.now()}.${randomUUID()}`,
  };
}

export function buttonClickPayload(fields: { actionId: string; value: string; userId: string; channelId: string; responseUrl: string; messageTs?: string; ephemeral?: boolean }): Record<string, unknown> {
  const container = fields.ephemeral
    ? { type: 'message', message_ts: fields.messageTs ?? nextTs(), channel_id: fields.channelId, is_ephemeral: true }
    : { type: 'message', message_ts: fields.messageTs ?? nextTs(), channel_id: fields.channelId, is_ephemeral: false };
  return {
    type: 'block_actions',
    user: { id: fields.userId, username: fields.userId.toLowerCase(), name: fields.userId.toLowerCase(), team_id: teamId },
    api_app_id: appId,
    token: 'legacy-verification-token',
    container,
    trigger_id: `${Date.now()}.${randomUUID()}`,
    team: { id: teamId, domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: fields.channelId, name: 'general' },
    ...(fields.ephemeral ? {} : { message: { type: 'message', ts: container.message_ts, bot_id: 'BDOCENT', text: 'an answer' } }),
    state: { values: {} },
    response_url: fields.responseUrl,
    actions: [{ action_id: fields.actionId, block_id: 'docent_answer_actions', text: { type: 'plain_text', text: 'button', emoji: true }, value: fields.value, type: 'button', action_ts: `${Date.now() / 1000}` }],
  };
}

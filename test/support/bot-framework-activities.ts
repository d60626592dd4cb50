/**
 * Activities as Microsoft Teams posts them to a bot's messaging endpoint, written from the
 * Bot Framework Activity schema and Teams' documented payloads: `channelId` `msteams`,
 * users as `29:` ids with their AAD object id, the bot as `28:<app id>`, `conversation.
 * conversationType` `personal` / `groupChat` / `channel`, a channel thread's conversation
 * id ending in `;messageid=<root post id>`, `channelData` naming tenant, team and channel,
 * and an @mention as `<at>Name</at>` in the text plus a `mention` entity.
 */
import { randomUUID } from 'node:crypto';

export const tenantId = '72f988bf-0000-4000-8000-00000000c0de';
export const botAppId = '7f3c1a52-0000-4000-8000-00000000b07d';
export const bot = { id: `28:${botAppId}`, name: 'Docent' };

export interface TeamsUser {
  id: string;
  name: string;
  aadObjectId: string;
  userPrincipalName: string;
  email: string;
}

export function teamsUser(login: string, name: string, aadObjectId: string): TeamsUser {
  return { id: `29:1${login}-${aadObjectId.slice(0, 8)}`, name, aadObjectId, userPrincipalName: `${login}@corp.example.com`, email: `${login}@corp.example.com` };
}

export const team = { id: '19:team-9d2b@thread.tacv2', name: 'Operations' };
export const channel = { id: '19:channel-4e1a@thread.tacv2', name: 'General' };

let sequence = 1_764_000_000_000;
/** Teams message ids are millisecond timestamps as strings. */
export function messageId(): string {
  sequence += 1;
  return String(sequence);
}

function base(serviceUrl: string, from: TeamsUser) {
  return {
    timestamp: new Date().toISOString(),
    localTimestamp: new Date().toISOString(),
    serviceUrl,
    channelId: 'msteams',
    from: { id: from.id, name: from.name, aadObjectId: from.aadObjectId },
    recipient: { ...bot },
    locale: 'en-US',
  };
}

const clientInfo = { type: 'clientInfo', locale: 'en-US', country: 'US', platform: 'Web', timezone: 'Europe/Berlin' };

/** A message in the personal (one-to-one) chat between `from` and the bot. */
export function personalMessage(serviceUrl: string, from: TeamsUser, text: string, id = messageId()) {
  return {
    ...base(serviceUrl, from),
    type: 'message',
    id,
    textFormat: 'plain',
    text,
    conversation: { conversationType: 'personal', tenantId, id: `a:1personal-${from.aadObjectId}` },
    entities: [clientInfo],
    channelData: { tenant: { id: tenantId } },
  };
}

function mentionOfBot() {
  return { type: 'mention', text: `<at>${bot.name}</at>`, mentioned: { id: bot.id, name: bot.name } };
}

/**
 * A channel post that @mentions the bot. `rootId` is the thread: absent for a new post
 * (the post is its own root), the root post's id for a reply in its thread.
 */
export function channelMessage(serviceUrl: string, from: TeamsUser, question: string, options: { id?: string; rootId?: string } = {}) {
  const id = options.id ?? messageId();
  const rootId = options.rootId ?? id;
  return {
    ...base(serviceUrl, from),
    type: 'message',
    id,
    ...(options.rootId ? { replyToId: options.rootId } : {}),
    textFormat: 'plain',
    text: `<at>${bot.name}</at>&nbsp;${question}`,
    conversation: { isGroup: true, conversationType: 'channel', tenantId, id: `${channel.id};messageid=${rootId}` },
    entities: [mentionOfBot(), clientInfo],
    channelData: { teamsChannelId: channel.id, teamsTeamId: team.id, channel: { id: channel.id }, team: { id: team.id }, tenant: { id: tenantId } },
  };
}

/** A group chat message that @mentions the bot. */
export function groupChatMessage(serviceUrl: string, from: TeamsUser, question: string, chatId = '19:groupchat-5c7e@thread.v2') {
  return {
    ...base(serviceUrl, from),
    type: 'message',
    id: messageId(),
    textFormat: 'plain',
    text: `<at>${bot.name}</at> ${question}`,
    conversation: { isGroup: true, conversationType: 'groupChat', tenantId, id: chatId },
    entities: [mentionOfBot(), clientInfo],
    channelData: { tenant: { id: tenantId } },
  };
}

/** A click on an `Action.Execute` button: the `adaptiveCard/action` invoke, replying to the card's activity. */
export function adaptiveCardAction(source: ReturnType<typeof personalMessage> | ReturnType<typeof channelMessage>, from: TeamsUser, cardActivityId: string, action: { verb: string; data: unknown; title?: string }) {
  return {
    ...base(source.serviceUrl, from),
    type: 'invoke',
    name: 'adaptiveCard/action',
    id: `f:${randomUUID()}`,
    replyToId: cardActivityId,
    conversation: source.conversation,
    channelData: source.channelData,
    value: { action: { type: 'Action.Execute', title: action.title ?? 'button', verb: action.verb, data: action.data }, trigger: 'manual' },
  };
}

/** The bot was added: to a personal chat (`team` absent) or to a team (posted in its General channel). */
export function botAdded(serviceUrl: string, by: TeamsUser, where: 'personal' | 'team') {
  const conversation =
    where === 'personal'
      ? { conversationType: 'personal', tenantId, id: `a:1personal-${by.aadObjectId}` }
      : { isGroup: true, conversationType: 'channel', tenantId, id: team.id };
  return {
    ...base(serviceUrl, by),
    type: 'conversationUpdate',
    id: `f:${randomUUID()}`,
    membersAdded: [{ id: bot.id }],
    conversation,
    channelData: where === 'personal' ? { tenant: { id: tenantId } } : { team: { ...team }, eventType: 'teamMemberAdded', tenant: { id: tenantId } },
  };
}

export interface EndpointResponse {
  status: number;
  /** Parsed JSON when the response was JSON, the text otherwise. */
  body: unknown;
}

/** Posts an activity to the bot's messaging endpoint as the Bot Framework channel service does. */
export async function postActivity(endpoint: string, activity: unknown, headers: Record<string, string> = {}): Promise<EndpointResponse> {
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(activity) });
  const text = await response.text();
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  return { status: response.status, body: isJson && text ? JSON.parse(text) : text };
}

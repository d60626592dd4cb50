import { personalMessage, teamsUser } from '../test/support/bot-framework-activities.js';
import { startBotFrameworkConnectorStandIn, type ConnectorRequest } from '../test/support/bot-framework-connector-stand-in.js';
import { runUsers } from './chat-load.js';

/**
 * The Bot Framework connector service and the people asking, for `runTeamsChatLoad`: runs
 * in a child process of its own, so that the users' requests and the stand-in's work do
 * not share the event loop of the Docent process being measured (in production both are
 * other machines). Talks to its parent over IPC: `ready` (with the stand-in's service
 * URL), then `run` → `done` (the timings), then `close`. Times are absolute milliseconds
 * (timeOrigin + now), comparable across processes.
 */

export interface TeamsLoadRun {
  type: 'run';
  /** Where the Docent process receives activities. */
  endpoint: string;
  questions: string[];
  users: number;
  total: number;
  warmUp: number;
  timeoutMs: number;
}

/** One timed question that was answered: its conversation, when its activity was sent, and when the typing indicator and the card arrived (absolute ms). */
export interface TeamsLoadRecord {
  conversationId: string;
  sentAt: number;
  firstAt?: number;
  finalAt: number;
}

export type TeamsDriverMessage = { type: 'ready'; serviceUrl: string } | { type: 'done'; records: TeamsLoadRecord[] };

const absolute = (relative: number): number => performance.timeOrigin + relative;

const userCount = Number(process.env.TEAMS_LOAD_USERS ?? 20);
const users = Array.from({ length: userCount }, (_, user) => teamsUser(`user${user}`, `User ${user}`, `0a1b2c3d-0000-4000-8000-${String(user).padStart(12, '0')}`));
const connector = await startBotFrameworkConnectorStandIn({ members: users.map((user) => ({ ...user })) });

/** Questions in flight by activity id. */
const inFlight = new Map<string, { firstAt?: number; resolve: (finalAt: number | undefined) => void }>();
connector.onRequest = (request: ConnectorRequest) => {
  // The stand-in keeps every request for tests; here that would only grow memory.
  connector.requests.length = 0;
  const question = request.activityId ? inFlight.get(request.activityId) : undefined;
  if (!question) return;
  if (request.body?.type === 'typing') question.firstAt ??= absolute(request.receivedAt);
  // A message without a card is an apology: counted as a failure.
  else if (request.body?.type === 'message') question.resolve(request.body.attachments ? absolute(request.receivedAt) : undefined);
};

/**
 * Each question is its own conversation, so the engine gets no history to widen the query
 * and retrieves as it does when called directly.
 */
async function ask(load: TeamsLoadRun, user: number, text: string, index: number): Promise<TeamsLoadRecord | undefined> {
  const message = personalMessage(connector.serviceUrl, users[user]!, text);
  const conversationId = `${message.conversation.id}-${index}`;
  const activity = { ...message, conversation: { ...message.conversation, id: conversationId } };
  // Serialising the activity is the client's work, before its clock would start.
  const body = JSON.stringify(activity);
  const entry: { firstAt?: number; resolve: (finalAt: number | undefined) => void } = { resolve: () => undefined };
  const finished = new Promise<number | undefined>((resolve) => {
    const timer = setTimeout(() => resolve(undefined), load.timeoutMs);
    entry.resolve = (finalAt) => {
      clearTimeout(timer);
      resolve(finalAt);
    };
  });
  inFlight.set(activity.id, entry);
  try {
    const sentAt = absolute(performance.now());
    const response = await fetch(load.endpoint, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body });
    await response.arrayBuffer();
    if (response.status !== 200) return undefined;
    const finalAt = await finished;
    if (finalAt === undefined) return undefined;
    return { conversationId, sentAt, ...(entry.firstAt !== undefined ? { firstAt: entry.firstAt } : {}), finalAt };
  } finally {
    inFlight.delete(activity.id);
  }
}

async function run(load: TeamsLoadRun): Promise<TeamsLoadRecord[]> {
  // Untimed: member records cached, connections open, code paths warm. Indexes past the timed run's, so no question repeats a conversation.
  await runUsers(load.users, load.questions, load.warmUp, async (user, text, index) => ((await ask(load, user, text, load.total + index)) ? { firstReplyMs: 0, finalAnswerMs: 0 } : undefined));
  const records: TeamsLoadRecord[] = [];
  await runUsers(load.users, load.questions, load.total, async (user, text, index) => {
    const record = await ask(load, user, text, index);
    if (record) records.push(record);
    return record ? { firstReplyMs: 0, finalAnswerMs: 0 } : undefined;
  });
  return records;
}

const send = (message: TeamsDriverMessage): void => {
  process.send!(message);
};
process.on('message', (message: TeamsLoadRun | { type: 'close' }) => {
  if (message.type === 'run') void run(message).then((records) => send({ type: 'done', records }));
  else void connector.close().then(() => process.exit(0));
});
send({ type: 'ready', serviceUrl: connector.serviceUrl });

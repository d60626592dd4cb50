import { slackTokens } from '../test/support/slack-harness.js';
import { appMentionEvent, eventCallback, nextTs } from '../test/support/slack-payloads.js';
import { signedRequest } from '../test/support/slack-signed-requests.js';
import { SlackStandIn, type SlackApiCall } from '../test/support/slack-stand-in.js';
import { runUsers } from './chat-load.js';

/**
 * Slack and the people asking, for `runSlackChatLoad`: runs in a child process of its
 * own, so that the stand-in's and the load's work does not share the event loop of the
 * Docent process being measured (in production Slack is another machine). Talks to its
 * parent over IPC: `ready` (with the stand-in's URL), then `run` → `done` (the timings),
 * then `close`. Times are absolute milliseconds (timeOrigin + now), comparable across processes.
 */

export interface LoadRun {
  type: 'run';
  mode: 'socket' | 'http';
  /** HTTP mode: where the Docent process receives events. */
  eventsUrl?: string;
  questions: string[];
  users: number;
  total: number;
  warmUp: number;
  timeoutMs: number;
}

/** One timed question that was answered: when its event was sent, and when the placeholder and the final answer arrived (absolute ms). */
export interface LoadRecord {
  ts: string;
  sentAt: number;
  firstAt?: number;
  finalAt?: number;
}

export type DriverMessage = { type: 'ready'; apiUrl: string } | { type: 'done'; records: LoadRecord[] };

const absolute = (relative: number): number => performance.timeOrigin + relative;

async function run(standIn: SlackStandIn, load: LoadRun): Promise<LoadRecord[]> {
  /** Questions in flight by the timestamp of the mention (the thread), then by the placeholder's. */
  const byThread = new Map<string, LoadRecord & { done: (answered: boolean) => void }>();
  const byPlaceholder = new Map<string, string>();
  const unsubscribe = standIn.onCall((call: SlackApiCall) => {
    if (call.method === 'chat.postMessage' && call.result?.ok) {
      const entry = byThread.get(String(call.params.thread_ts));
      if (entry && entry.firstAt === undefined) {
        entry.firstAt = absolute(call.at);
        byPlaceholder.set(String(call.result.ts), entry.ts);
      }
    } else if (call.method === 'chat.update' && call.result?.ok) {
      const entry = byThread.get(byPlaceholder.get(String(call.params.ts)) ?? '');
      if (entry && !String(call.params.text).endsWith(' …')) {
        entry.finalAt = absolute(call.at);
        entry.done(call.params.blocks !== undefined);
      }
    }
  });
  const ask = async (user: number, question: string): Promise<LoadRecord | undefined> => {
    const ts = nextTs();
    const envelope = eventCallback(appMentionEvent({ user: `UBENCH${user}`, text: `<@UDOCENT> ${question}`, channel: `CBENCH${user}`, ts }));
    // Slack's own work (serialising, signing) happens before its clock would start.
    const request = load.mode === 'http' ? signedRequest(slackTokens.signingSecret, JSON.stringify(envelope), 'application/json') : undefined;
    let done: (answered: boolean) => void = () => undefined;
    const finished = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), load.timeoutMs);
      done = (answered) => {
        clearTimeout(timer);
        resolve(answered);
      };
    });
    const entry: LoadRecord & { done: (answered: boolean) => void } = { ts, sentAt: absolute(performance.now()), done };
    byThread.set(ts, entry);
    if (request) void fetch(load.eventsUrl!, request).then((response) => response.body?.cancel());
    else void standIn.sendEnvelope('events_api', envelope).catch(() => undefined);
    const answered = await finished;
    byThread.delete(ts);
    return answered ? { ts, sentAt: entry.sentAt, ...(entry.firstAt !== undefined ? { firstAt: entry.firstAt } : {}), ...(entry.finalAt !== undefined ? { finalAt: entry.finalAt } : {}) } : undefined;
  };
  const records: LoadRecord[] = [];
  try {
    // Untimed, one question per user: each user's e-mail is then cached, as it is for anyone who asked within the hour.
    await runUsers(Math.min(load.users, load.warmUp), load.questions, load.warmUp, async (user, question) => ((await ask(user, question)) ? { firstReplyMs: 0, finalAnswerMs: 0 } : undefined));
    await runUsers(load.users, load.questions, load.total, async (user, question) => {
      const record = await ask(user, question);
      if (record) records.push(record);
      return record ? { firstReplyMs: 0, finalAnswerMs: 0 } : undefined;
    });
  } finally {
    unsubscribe();
  }
  return records;
}

const users = Object.fromEntries(Array.from({ length: Number(process.env.SLACK_LOAD_USERS ?? 20) }, (_, user) => [`UBENCH${user}`, { name: `user${user}`, email: `user${user}@acme.example` }]));
const standIn = await SlackStandIn.start({ botToken: slackTokens.botToken, appToken: slackTokens.appToken, users });
const send = (message: DriverMessage): void => {
  process.send!(message);
};
process.on('message', (message: LoadRun | { type: 'close' }) => {
  if (message.type === 'run') void run(standIn, message).then((records) => send({ type: 'done', records }));
  else void standIn.close().then(() => process.exit(0));
});
send({ type: 'ready', apiUrl: standIn.apiUrl });

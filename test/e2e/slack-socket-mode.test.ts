import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SlackSurface } from '../../src/chat/slack/slack-surface.js';
import { RecordingFeedback, ScriptedAnswerEngine, type AnswerScript } from '../support/slack-fakes.js';
import { RecordingLogger, sleep, slackTokens, slackUsers, startSlackSurfaceForTest, until, waitForFinishedReply } from '../support/slack-harness.js';
import { appMentionEvent, buttonClickPayload, eventCallback, nextTs, slashCommandFields } from '../support/slack-payloads.js';
import { SlackStandIn } from '../support/slack-stand-in.js';

/**
 * The default deployment: the real Bolt app in Socket Mode, connected by WebSocket to the
 * local stand-in, which sends envelopes as Slack does and records the app's acknowledgements.
 */
describe('Slack surface over Socket Mode', () => {
  let standIn: SlackStandIn;
  let surface: SlackSurface;
  const scripts = new Map<string, AnswerScript>();
  const engine = new ScriptedAnswerEngine((question) => scripts.get(question.text) ?? {});
  const feedback = new RecordingFeedback();

  beforeAll(async () => {
    standIn = await SlackStandIn.start({ botToken: slackTokens.botToken, appToken: slackTokens.appToken, users: slackUsers });
    ({ surface } = await startSlackSurfaceForTest({ standIn, engine, feedback, mode: 'socket' }));
  });

  afterAll(async () => {
    await surface?.stop();
    await standIn?.close();
  });

  it('opens the connection with the app-level token, needing no inbound port', () => {
    expect(standIn.calls.slice(0, 2).map((call) => [call.method, call.token])).toEqual([
      ['auth.test', slackTokens.botToken],
      ['apps.connections.open', slackTokens.appToken],
    ]);
    expect(standIn.openSocketCount).toBe(1);
    expect(surface.address).toBeUndefined();
    expect(surface.state()).toEqual({ ok: true, mode: 'socket', status: 'connected', detail: 'Socket Mode, connected as @docent in Acme (T0001)' });
  });

  it('acknowledges an events_api envelope at once and answers the mention in its thread', async () => {
    scripts.set('How many days of annual leave do I get?', { delayMs: 400 });
    const ts = nextTs();
    const sentAt = performance.now();
    const acknowledgement = await standIn.sendEnvelope('events_api', eventCallback(appMentionEvent({ user: 'UANN', text: '<@UDOCENT> How many days of annual leave do I get?', channel: 'CSOCKET', ts })));
    expect(acknowledgement).toBeUndefined();
    expect(standIn.acks.at(-1)!.at - sentAt).toBeLessThan(300);
    const reply = await waitForFinishedReply(standIn, 'CSOCKET', ts);
    expect(reply.placeholder.params).toMatchObject({ channel: 'CSOCKET', thread_ts: ts, text: 'Searching…' });
    expect(reply.updates.at(-1)!.params.text).toBe('You get 25 days of annual leave [1], and up to 5 unused days carry over [2].');
    expect(engine.questions.at(-1)!.conversation).toEqual({ platform: 'slack', channelId: 'CSOCKET', teamId: 'T0001', threadId: ts, visibility: 'shared' });
  });

  it('acknowledges a redelivered envelope (retry_attempt 1) without answering twice', async () => {
    scripts.set('What is the notice period?', { delayMs: 200 });
    const ts = nextTs();
    const payload = eventCallback(appMentionEvent({ user: 'UANN', text: '<@UDOCENT> What is the notice period?', channel: 'CREDELIVER', ts }));
    const asked = engine.questions.length;
    await standIn.sendEnvelope('events_api', payload);
    await standIn.sendEnvelope('events_api', payload, { retryAttempt: 1, retryReason: 'timeout' });
    await waitForFinishedReply(standIn, 'CREDELIVER', ts);
    await sleep(200);
    expect(engine.questions.length - asked).toBe(1);
    expect(standIn.callsOf('chat.postMessage').filter((call) => call.params.channel === 'CREDELIVER')).toHaveLength(1);
  });

  it('shows the placeholder of /docent in the acknowledgement, then the answer through the response URL', async () => {
    const responseUrl = standIn.responseUrl('socket-command');
    const acknowledgement = await standIn.sendEnvelope('slash_commands', slashCommandFields({ text: 'Where is the travel policy?', userId: 'UBOB', channelId: 'CGENERAL', responseUrl }));
    expect(acknowledgement).toEqual({ response_type: 'ephemeral', text: 'Searching…' });
    const final = await standIn.waitFor(() => standIn.responses.find((response) => response.id === 'socket-command'));
    expect(final.body).toMatchObject({ response_type: 'ephemeral', replace_original: true, text: 'You get 25 days of annual leave [1], and up to 5 unused days carry over [2].' });
  });

  it('records feedback from an interactive envelope', async () => {
    await standIn.sendEnvelope('interactive', buttonClickPayload({ actionId: 'docent_feedback_down', value: 'ans_0042', userId: 'UANN', channelId: 'CGENERAL', responseUrl: standIn.responseUrl('socket-feedback') }));
    await standIn.waitFor(() => standIn.responses.find((response) => response.id === 'socket-feedback'));
    expect(feedback.feedback.at(-1)).toEqual({ answerId: 'ans_0042', asker: { id: 'slack:UANN', principals: ['user:uann', 'user:ann@acme.example'] }, rating: 'down', platform: 'slack' });
  });

  it('reconnects when Slack asks it to, and keeps answering', async () => {
    const before = standIn.socketConnections;
    standIn.sendDisconnect();
    await until(() => surface.state().status === 'reconnecting', 5_000, 'the reconnecting state');
    expect(surface.state()).toMatchObject({ ok: false, detail: 'Socket Mode, reconnecting as @docent in Acme (T0001)' });
    // The Socket Mode client waits its ping timeout (5 s) before reconnecting.
    await until(() => surface.state().status === 'connected' && standIn.socketConnections === before + 1 && standIn.openSocketCount === 1, 15_000, 'the reconnection');
    const ts = nextTs();
    await standIn.sendEnvelope('events_api', eventCallback(appMentionEvent({ user: 'UANN', text: '<@UDOCENT> Still there?', channel: 'CRECONNECT', ts })));
    await waitForFinishedReply(standIn, 'CRECONNECT', ts);
    expect(standIn.callsOf('apps.connections.open').every((call) => call.token === slackTokens.appToken)).toBe(true);
  });
});

describe('Slack surface lifecycle', () => {
  let standIn: SlackStandIn;
  const surfaces: SlackSurface[] = [];

  beforeAll(async () => {
    standIn = await SlackStandIn.start({ botToken: slackTokens.botToken, appToken: slackTokens.appToken, users: slackUsers });
  });

  afterEach(async () => {
    await Promise.all(surfaces.splice(0).map((surface) => surface.stop()));
  });

  afterAll(async () => {
    await standIn?.close();
  });

  it('stops taking questions at stop(), ending an answer still in flight with an apology', async () => {
    const engine = new ScriptedAnswerEngine(() => ({ partials: ['Let me think'], partialDelayMs: 50, delayMs: 5_000 }));
    const { surface } = await startSlackSurfaceForTest({ standIn, engine, mode: 'socket', extra: { stopGraceMs: 200 } });
    surfaces.push(surface);
    const ts = nextTs();
    await standIn.sendEnvelope('events_api', eventCallback(appMentionEvent({ user: 'UANN', text: '<@UDOCENT> A slow question?', channel: 'CSTOP', ts })));
    await standIn.waitFor(() => engine.questions.length === 1);
    await surface.stop();
    expect(surface.state()).toMatchObject({ ok: false, status: 'stopped' });
    expect(standIn.openSocketCount).toBe(0);
    const reply = await waitForFinishedReply(standIn, 'CSTOP', ts);
    expect(reply.updates.at(-1)!.params.text).toBe('Sorry, Docent was restarting and could not finish this answer. Please ask again in a minute.');
  });

  it('refuses to start with a bot token Slack rejects, naming the variable', async () => {
    const logger = new RecordingLogger();
    const start = startSlackSurfaceForTest({ standIn, engine: new ScriptedAnswerEngine(), mode: 'socket', logger, extra: { environment: { DOCENT_SLACK_BOT_TOKEN: 'xoxb-revoked', DOCENT_SLACK_APP_TOKEN: slackTokens.appToken } } });
    await expect(start).rejects.toMatchObject({ code: 'credentials_rejected', message: 'Slack rejected DOCENT_SLACK_BOT_TOKEN (invalid_auth)' });
  });

  it('refuses to start with an app-level token Slack rejects, naming the variable', async () => {
    const start = startSlackSurfaceForTest({ standIn, engine: new ScriptedAnswerEngine(), mode: 'socket', extra: { environment: { DOCENT_SLACK_BOT_TOKEN: slackTokens.botToken, DOCENT_SLACK_APP_TOKEN: 'xapp-wrong' } } });
    await expect(start).rejects.toMatchObject({ code: 'credentials_rejected', message: 'Slack rejected DOCENT_SLACK_APP_TOKEN (invalid_auth)' });
    expect(standIn.openSocketCount).toBe(0);
  });

  it('refuses to start without the secrets its mode needs', async () => {
    await expect(startSlackSurfaceForTest({ standIn, engine: new ScriptedAnswerEngine(), mode: 'socket', extra: { environment: { DOCENT_SLACK_BOT_TOKEN: slackTokens.botToken } } })).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringMatching(/^DOCENT_SLACK_APP_TOKEN is not set: Socket Mode needs an app-level token/),
    });
    await expect(startSlackSurfaceForTest({ standIn, engine: new ScriptedAnswerEngine(), mode: 'http', extra: { environment: { DOCENT_SLACK_BOT_TOKEN: slackTokens.botToken } } })).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringMatching(/^DOCENT_SLACK_SIGNING_SECRET is not set/),
    });
  });
});

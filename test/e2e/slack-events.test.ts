import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Directory } from '../../src/core/directory.js';
import { DocentError } from '../../src/core/errors.js';
import { audienceResolverFor } from '../../src/chat/audience-resolver.js';
import { AccessResolver } from '../../src/directory/access-resolver.js';
import { ChannelPolicyResolver } from '../../src/directory/channel-policy.js';
import { ChannelSettingsStore } from '../../src/directory/channel-settings-store.js';
import type { SlackSurface } from '../../src/chat/slack/slack-surface.js';
import { leavePolicy, RecordingFeedback, ScriptedAnswerEngine, type AnswerScript } from '../support/slack-fakes.js';
import { RecordingLogger, replyIn, sleep, slackTokens, slackUsers, startSlackSurfaceForTest, waitForFinishedReply } from '../support/slack-harness.js';
import { appMentionEvent, buttonClickPayload, eventCallback, messageChangedEvent, messageEvent, nextTs, slashCommandFields } from '../support/slack-payloads.js';
import { sendEvent, sendInteraction, sendSlashCommand } from '../support/slack-signed-requests.js';
import { SlackStandIn } from '../support/slack-stand-in.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

/**
 * The real Bolt app in HTTP mode (Events API, slash command and interactivity requests
 * signed as Slack signs them) against the local stand-in of Slack's Web API. Only the
 * answer engine and the feedback recorder are fakes.
 */

const answerText = 'You get 25 days of annual leave [1], and up to 5 unused days carry over [2].';

/** The final message of the sample answer, exactly as Slack must receive it. */
const answerBlocks = (extraButtons: unknown[] = [], feedback = true): unknown[] => [
  { type: 'section', text: { type: 'mrkdwn', text: answerText } },
  { type: 'context', elements: [{ type: 'mrkdwn', text: '*Sources*' }] },
  {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: '*[1]* <https://docent.acme.example/files/folder%3Ahandbook%2Fleave-policy.pdf#page=3|Leave Policy 2026> · page 3\nFull-time employees receive 25 working days of paid annual leave per calendar year.',
      },
    ],
  },
  {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: '*[2]* <https://wiki.acme.example/hr/carry-over|Carrying leave over &lt;&amp; why&gt;> · Time off › Carrying leave over\nUp to 5 unused days may be carried over into the next year.' }],
  },
  {
    type: 'actions',
    block_id: 'docent_answer_actions',
    elements: [
      ...(feedback
        ? [
            { type: 'button', action_id: 'docent_feedback_up', text: { type: 'plain_text', text: '👍 Helpful', emoji: true }, value: 'ans_0001' },
            { type: 'button', action_id: 'docent_feedback_down', text: { type: 'plain_text', text: '👎 Not helpful', emoji: true }, value: 'ans_0001' },
          ]
        : []),
      ...extraButtons,
    ],
  },
];

describe('Slack surface over the HTTP Events API', () => {
  let standIn: SlackStandIn;
  let surface: SlackSurface;
  let eventsUrl: string;
  const scripts = new Map<string, AnswerScript>();
  const engine = new ScriptedAnswerEngine((question) => scripts.get(question.text) ?? {});
  const feedback = new RecordingFeedback();
  const logger = new RecordingLogger();

  const send = (event: Record<string, unknown>, options: Parameters<typeof sendEvent>[3] = {}) => sendEvent(eventsUrl, slackTokens.signingSecret, eventCallback(event), options);

  beforeAll(async () => {
    standIn = await SlackStandIn.start({ botToken: slackTokens.botToken, appToken: slackTokens.appToken, users: slackUsers, channelsWithoutBot: ['CNOTMEMBER'] });
    const started = await startSlackSurfaceForTest({
      standIn,
      engine,
      feedback,
      mode: 'http',
      logger,
      extra: { resolvePrincipals: async (identity) => (identity.email === 'ann@acme.example' ? ['group:hr'] : []) },
    });
    surface = started.surface;
    eventsUrl = started.eventsUrl!;
  });

  afterAll(async () => {
    await surface?.stop();
    await standIn?.close();
  });

  beforeEach(() => {
    engine.questions.length = 0;
    feedback.feedback.length = 0;
  });

  it('checks the bot token with auth.test before anything else and reports itself ready', () => {
    expect(standIn.calls[0]).toMatchObject({ method: 'auth.test', token: slackTokens.botToken });
    expect(surface.state()).toEqual({ ok: true, mode: 'http', status: 'connected', detail: `HTTP Events API on port ${surface.address!.port} (/slack/events), receiving as @docent in Acme (T0001)` });
  });

  it('answers an @mention in a thread under it: a placeholder at once, edits while streaming, then Block Kit', async () => {
    const question = 'How many days of annual leave do I get?';
    scripts.set(question, { partials: ['You get', 'You get 25 days', 'You get 25 days of annual leave [1]', 'You get 25 days of annual leave [1], and up to 5'], partialDelayMs: 200 });
    const ts = nextTs();
    const sentAt = performance.now();
    const response = await send(appMentionEvent({ user: 'UANN', text: `<@UDOCENT> ${question}`, channel: 'CGENERAL', ts }));
    expect(response.status).toBe(200);

    const reply = await waitForFinishedReply(standIn, 'CGENERAL', ts);
    // The placeholder goes up before the engine has anything to show.
    expect(reply.placeholder.params).toEqual({ channel: 'CGENERAL', thread_ts: ts, text: 'Searching…', unfurl_links: 'false', unfurl_media: 'false' });
    expect(reply.placeholder.at - sentAt).toBeLessThan(500);
    const partialEdits = reply.updates.slice(0, -1);
    const final = reply.updates.at(-1)!;
    expect(partialEdits.length).toBeGreaterThanOrEqual(2);
    for (const edit of partialEdits) {
      expect(edit.params).toEqual({ channel: 'CGENERAL', ts: reply.placeholder.result!.ts, text: expect.stringMatching(/ …$/) });
      expect(scripts.get(question)!.partials!.map((partial) => `${partial} …`)).toContain(edit.params.text);
    }
    // Partial texts only grow, and Slack sees at most one edit per interval (300 ms here).
    const shownLengths = partialEdits.map((edit) => String(edit.params.text).length);
    expect([...shownLengths].sort((a, b) => a - b)).toEqual(shownLengths);
    const editTimes = [reply.placeholder.at, ...partialEdits.map((edit) => edit.at)];
    for (let index = 1; index < editTimes.length; index++) expect(editTimes[index]! - editTimes[index - 1]!).toBeGreaterThanOrEqual(290);
    expect(final.params).toEqual({ channel: 'CGENERAL', ts: reply.placeholder.result!.ts, text: answerText, blocks: answerBlocks() });

    expect(engine.questions).toEqual([
      {
        text: question,
        asker: { id: 'slack:UANN', principals: ['user:uann', 'user:ann@acme.example', 'group:hr'] },
        conversation: { platform: 'slack', channelId: 'CGENERAL', teamId: 'T0001', threadId: ts, visibility: 'shared' },
      },
    ]);
    expect(standIn.callsOf('users.info').map((call) => call.params)).toEqual([{ user: 'UANN' }]);
  });

  it('answers follow-ups in a thread it answered, with the thread as memory, and nothing else in channels', async () => {
    const ts = nextTs();
    await send(appMentionEvent({ user: 'UANN', text: '<@UDOCENT> How many days of annual leave do I get?', channel: 'CTEAM', ts }));
    await waitForFinishedReply(standIn, 'CTEAM', ts);

    const otherThread = nextTs();
    await send(messageEvent({ user: 'UBOB', text: 'lunch?', channel: 'CTEAM', ts: otherThread }));
    await send(messageEvent({ user: 'UBOB', text: 'sure', channel: 'CTEAM', threadTs: otherThread }));
    await send(messageEvent({ user: 'UBOB', text: '<@UANN> is that right?', channel: 'CTEAM', threadTs: ts }));
    const followUp = nextTs();
    await send(messageEvent({ user: 'UBOB', text: 'And can I carry days over?', channel: 'CTEAM', ts: followUp, threadTs: ts }));
    await standIn.waitFor(() => engine.questions.length === 2);
    await standIn.waitFor(() => replyIn(standIn, 'CTEAM', ts)!.updates.length >= 1 && standIn.callsOf('chat.postMessage').filter((call) => call.params.channel === 'CTEAM').length === 2);

    expect(engine.questions[1]).toEqual({
      text: 'And can I carry days over?',
      asker: { id: 'slack:UBOB', principals: ['user:ubob', 'user:bob@acme.example'] },
      conversation: { platform: 'slack', channelId: 'CTEAM', teamId: 'T0001', threadId: ts, visibility: 'shared' },
      history: [{ question: 'How many days of annual leave do I get?', answer: answerText }],
    });
    const inChannel = standIn.callsOf('chat.postMessage').filter((call) => call.params.channel === 'CTEAM');
    expect(inChannel.map((call) => call.params.thread_ts)).toEqual([ts, ts]);
  });

  it('answers every direct message at the top level, privately, remembering the conversation', async () => {
    await send(messageEvent({ user: 'UCAROL', text: 'Where is the travel policy?', channel: 'DCAROL', channelType: 'im' }));
    const first = await waitForFinishedReply(standIn, 'DCAROL', undefined);
    expect(first.updates.at(-1)!.params.blocks).toEqual(answerBlocks());
    await send(messageEvent({ user: 'UCAROL', text: 'and for trains?', channel: 'DCAROL', channelType: 'im' }));
    await standIn.waitFor(() => engine.questions.length === 2 && standIn.callsOf('chat.update').some((call) => call.params.channel === 'DCAROL' && call.params.ts !== first.placeholder.result!.ts));

    expect(engine.questions.map((question) => [question.asker, question.conversation, question.history])).toEqual([
      [{ id: 'slack:UCAROL', principals: ['user:ucarol'] }, { platform: 'slack', channelId: 'DCAROL', teamId: 'T0001', visibility: 'private' }, undefined],
      [{ id: 'slack:UCAROL', principals: ['user:ucarol'] }, { platform: 'slack', channelId: 'DCAROL', teamId: 'T0001', visibility: 'private' }, [{ question: 'Where is the travel policy?', answer: answerText }]],
    ]);
    expect(standIn.callsOf('chat.postMessage').filter((call) => call.params.channel === 'DCAROL').every((call) => call.params.thread_ts === undefined)).toBe(true);
  });

  it('ignores its own messages, other bots, edits and system messages', async () => {
    const ts = nextTs();
    await send(appMentionEvent({ user: 'UANN', text: '<@UDOCENT> How many days of annual leave do I get?', channel: 'CQUIET', ts }));
    await waitForFinishedReply(standIn, 'CQUIET', ts);
    engine.questions.length = 0;
    const responses = await Promise.all([
      send(messageEvent({ user: 'UDOCENT', text: 'Searching…', channel: 'CQUIET', threadTs: ts })),
      send({ ...messageEvent({ text: 'Deploy finished', channel: 'CQUIET', threadTs: ts, botId: 'BDEPLOY' }), subtype: 'bot_message' }),
      send(messageEvent({ user: 'UOTHERBOT', text: 'I am a bot in a DM', channel: 'DQUIET', channelType: 'im', botId: 'BOTHER' })),
      send(messageChangedEvent({ user: 'UANN', text: 'edited question?', channel: 'DQUIET', channelType: 'im' })),
      send(appMentionEvent({ user: 'UANN', text: '<@UDOCENT> edited mention', channel: 'CQUIET', edited: true })),
      send(messageEvent({ user: 'UBOB', text: '<@UBOB> has joined the channel', channel: 'CQUIET', subtype: 'channel_join' })),
      send(messageEvent({ user: 'UBOB', text: 'thanks!', channel: 'CQUIET', subtype: 'message_deleted', threadTs: ts })),
    ]);
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    // A direct message sent after them: once it is answered, the others had their chance.
    await send(messageEvent({ user: 'UANN', text: 'sentinel question', channel: 'DSENTINEL', channelType: 'im' }));
    await waitForFinishedReply(standIn, 'DSENTINEL', undefined);
    await sleep(100);
    expect(engine.questions.map((question) => question.text)).toEqual(['sentinel question']);
    expect(standIn.callsOf('chat.postMessage').filter((call) => call.params.channel === 'DQUIET' || (call.params.channel === 'CQUIET' && call.params.thread_ts !== ts))).toEqual([]);
  });

  it('answers once when Slack retries an event, and once for a mention that also arrives as a message', async () => {
    const ts = nextTs();
    const envelope = eventCallback(appMentionEvent({ user: 'UANN', text: '<@UDOCENT> What is the notice period?', channel: 'CRETRY', ts }));
    scripts.set('What is the notice period?', { delayMs: 300 });
    const statuses = [(await sendEvent(eventsUrl, slackTokens.signingSecret, envelope)).status];
    statuses.push((await sendEvent(eventsUrl, slackTokens.signingSecret, envelope, { retryNum: 1, retryReason: 'http_timeout' })).status);
    statuses.push((await sendEvent(eventsUrl, slackTokens.signingSecret, envelope, { retryNum: 2, retryReason: 'http_error' })).status);
    // The same message as a `message.channels` event, under its own event id.
    statuses.push((await send(messageEvent({ user: 'UANN', text: '<@UDOCENT> What is the notice period?', channel: 'CRETRY', ts }))).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    await waitForFinishedReply(standIn, 'CRETRY', ts);
    await sleep(300);
    expect(engine.questions.map((question) => question.text)).toEqual(['What is the notice period?']);
    expect(standIn.callsOf('chat.postMessage').filter((call) => call.params.channel === 'CRETRY')).toHaveLength(1);
  });

  it('rejects requests with a bad or stale signature with 401, and answers the URL verification', async () => {
    const callsBefore = standIn.calls.length;
    const event = eventCallback(appMentionEvent({ user: 'UANN', text: '<@UDOCENT> forged?', channel: 'CFORGED' }));
    expect((await sendEvent(eventsUrl, slackTokens.signingSecret, event, { signature: 'v0=0123456789abcdef' })).status).toBe(401);
    expect((await sendEvent(eventsUrl, 'not-the-signing-secret', event)).status).toBe(401);
    expect((await sendEvent(eventsUrl, slackTokens.signingSecret, event, { timestamp: Math.floor(Date.now() / 1000) - 10 * 60 })).status).toBe(401);
    expect((await sendSlashCommand(eventsUrl, 'not-the-signing-secret', slashCommandFields({ text: 'forged', userId: 'UANN', channelId: 'CFORGED', responseUrl: standIn.responseUrl() }))).status).toBe(401);
    const verification = await sendEvent(eventsUrl, slackTokens.signingSecret, { token: 'legacy', challenge: 'c-3f9a', type: 'url_verification' });
    expect(verification).toEqual({ status: 200, body: JSON.stringify({ challenge: 'c-3f9a' }) });
    await sleep(200);
    expect(engine.questions).toEqual([]);
    expect(standIn.calls.slice(callsBefore)).toEqual([]);
  });

  it('waits out a 429 for its Retry-After, and retries server errors, before anything is lost', async () => {
    standIn.failures.push({ method: 'chat.postMessage', status: 429, retryAfterSeconds: 1 }, { method: 'chat.update', status: 503 });
    const ts = nextTs();
    await send(appMentionEvent({ user: 'UANN', text: '<@UDOCENT> How many days of annual leave do I get?', channel: 'CBUSY', ts }));
    const reply = await waitForFinishedReply(standIn, 'CBUSY', ts);
    const posts = standIn.callsOf('chat.postMessage').filter((call) => call.params.channel === 'CBUSY');
    expect(posts.map((call) => call.status)).toEqual([429, 200]);
    expect(posts[1]!.at - posts[0]!.at).toBeGreaterThanOrEqual(1000);
    const updates = standIn.callsOf('chat.update').filter((call) => call.params.channel === 'CBUSY');
    expect(updates.map((call) => call.status)).toEqual([503, 200]);
    expect(updates[0]!.params).toEqual(updates[1]!.params);
    expect(reply.updates.at(-1)!.params.blocks).toEqual(answerBlocks());
  });

  it('ends in a short apology in the thread when the answer fails', async () => {
    scripts.set('Why is the index broken?', { partials: ['Partly'], error: new DocentError('index_unavailable', 'LanceDB could not open the table') });
    const ts = nextTs();
    await send(appMentionEvent({ user: 'UANN', text: '<@UDOCENT> Why is the index broken?', channel: 'CFAIL', ts }));
    const reply = await waitForFinishedReply(standIn, 'CFAIL', ts);
    expect(reply.updates.at(-1)!.params).toEqual({ channel: 'CFAIL', ts: reply.placeholder.result!.ts, text: 'Sorry, I could not answer that just now (index_unavailable). Please try again in a minute.' });
    expect(logger.errors).toEqual([`answering failed ${JSON.stringify({ channel: 'CFAIL', error: 'LanceDB could not open the table' })}`]);
  });

  it('explains itself when mentioned without a question', async () => {
    const ts = nextTs();
    await send(appMentionEvent({ user: 'UANN', text: '<@UDOCENT>', channel: 'CHELP', ts }));
    const post = await standIn.waitFor(() => standIn.callsOf('chat.postMessage').find((call) => call.params.channel === 'CHELP'));
    expect(post.params).toEqual({
      channel: 'CHELP',
      thread_ts: ts,
      text: "Ask me a question about the company's documents, for example: <@UDOCENT> how many days of annual leave do I get? I answer with the sources I used. For an answer only you see, use /docent &lt;question&gt;.",
      unfurl_links: 'false',
      unfurl_media: 'false',
    });
    expect(engine.questions).toEqual([]);
  });

  it('offers no "Share with channel" for a private answer that shows a document not everyone may read', async () => {
    const question = 'What are the salary bands?';
    scripts.set(question, { answer: { citations: [{ ...leavePolicy, title: 'Salary bands', readableByEveryone: false }] } });
    const commandUrl = standIn.responseUrl('command-restricted');
    await sendSlashCommand(eventsUrl, slackTokens.signingSecret, slashCommandFields({ text: question, userId: 'UANN', channelId: 'CSHARE', responseUrl: commandUrl }));
    const final = await standIn.waitFor(() => standIn.responses.find((response) => response.id === 'command-restricted' && response.body.blocks));
    expect(JSON.stringify(final.body.blocks)).not.toContain('docent_share');
  });

  it('answers /docent privately, and "Share with channel" posts the same answer publicly', async () => {
    const question = 'How many days of annual leave do I get?';
    const commandUrl = standIn.responseUrl('command-1');
    const acknowledgement = await sendSlashCommand(eventsUrl, slackTokens.signingSecret, slashCommandFields({ text: question, userId: 'UANN', channelId: 'CSHARE', responseUrl: commandUrl }));
    expect(acknowledgement.status).toBe(200);
    expect(JSON.parse(acknowledgement.body)).toEqual({ response_type: 'ephemeral', text: 'Searching…' });

    const final = await standIn.waitFor(() => standIn.responses.find((response) => response.id === 'command-1' && response.body.blocks));
    const shareButton = (final.body.blocks as Array<{ type: string; elements?: Array<{ action_id: string; value: string }> }>).at(-1)!.elements!.at(-1)!;
    expect(final.body).toEqual({
      response_type: 'ephemeral',
      replace_original: true,
      text: answerText,
      blocks: answerBlocks([{ type: 'button', action_id: 'docent_share', text: { type: 'plain_text', text: 'Share with channel', emoji: true }, value: shareButton.value, style: 'primary' }]),
    });
    expect(engine.questions.map((asked) => asked.conversation)).toEqual([{ platform: 'slack', channelId: 'CSHARE', teamId: 'T0001', visibility: 'private' }]);
    expect(standIn.callsOf('chat.postMessage').filter((call) => call.params.channel === 'CSHARE')).toEqual([]);

    // Someone else cannot share it; the asker can.
    const bobUrl = standIn.responseUrl('share-bob');
    await sendInteraction(eventsUrl, slackTokens.signingSecret, buttonClickPayload({ actionId: 'docent_share', value: shareButton.value, userId: 'UBOB', channelId: 'CSHARE', responseUrl: bobUrl, ephemeral: true }));
    const refused = await standIn.waitFor(() => standIn.responses.find((response) => response.id === 'share-bob'));
    expect(refused.body).toEqual({ response_type: 'ephemeral', replace_original: false, text: 'This answer can no longer be shared. Please ask again.' });

    const shareUrl = standIn.responseUrl('share-1');
    const click = await sendInteraction(eventsUrl, slackTokens.signingSecret, buttonClickPayload({ actionId: 'docent_share', value: shareButton.value, userId: 'UANN', channelId: 'CSHARE', responseUrl: shareUrl, ephemeral: true }));
    expect(click.status).toBe(200);
    const deleted = await standIn.waitFor(() => standIn.responses.find((response) => response.id === 'share-1'));
    expect(deleted.body).toEqual({ delete_original: true });
    const shared = standIn.callsOf('chat.postMessage').filter((call) => call.params.channel === 'CSHARE');
    expect(shared.map((call) => call.params)).toEqual([
      {
        channel: 'CSHARE',
        text: answerText,
        blocks: [...answerBlocks(), { type: 'context', elements: [{ type: 'mrkdwn', text: `Shared by <@UANN>, who asked: ${question}` }] }],
        unfurl_links: 'false',
        unfurl_media: 'false',
      },
    ]);
    expect(engine.questions).toHaveLength(1);

    // The shared answer's thread takes follow-ups like any answer.
    const sharedTs = String(shared[0]!.result!.ts);
    await send(messageEvent({ user: 'UBOB', text: 'Does that include public holidays?', channel: 'CSHARE', threadTs: sharedTs }));
    await waitForFinishedReply(standIn, 'CSHARE', sharedTs);
    expect(engine.questions[1]!.history).toEqual([{ question, answer: answerText }]);
  });

  it('tells the asker how to invite it when sharing where it is not a member', async () => {
    const commandUrl = standIn.responseUrl('command-2');
    await sendSlashCommand(eventsUrl, slackTokens.signingSecret, slashCommandFields({ text: 'Where is the travel policy?', userId: 'UANN', channelId: 'CNOTMEMBER', responseUrl: commandUrl }));
    const final = await standIn.waitFor(() => standIn.responses.find((response) => response.id === 'command-2' && response.body.blocks));
    const value = (final.body.blocks as Array<{ elements?: Array<{ value: string }> }>).at(-1)!.elements!.at(-1)!.value;
    await sendInteraction(eventsUrl, slackTokens.signingSecret, buttonClickPayload({ actionId: 'docent_share', value, userId: 'UANN', channelId: 'CNOTMEMBER', responseUrl: standIn.responseUrl('share-2'), ephemeral: true }));
    const told = await standIn.waitFor(() => standIn.responses.find((response) => response.id === 'share-2'));
    expect(told.body).toEqual({ response_type: 'ephemeral', replace_original: false, text: 'I cannot post in this conversation. Invite me to the channel (/invite @Docent) and share again.' });
  });

  it('answers /docent without a question with how to use it', async () => {
    const response = await sendSlashCommand(eventsUrl, slackTokens.signingSecret, slashCommandFields({ text: '  ', userId: 'UANN', channelId: 'CGENERAL', responseUrl: standIn.responseUrl() }));
    expect(JSON.parse(response.body)).toEqual({ response_type: 'ephemeral', text: 'Ask a question after the command, for example: /docent how many days of annual leave do I get? Only you will see the answer.' });
  });

  it('records 👍 and 👎 against the answer id, with the clicker as the rater, and thanks privately', async () => {
    const up = standIn.responseUrl('feedback-up');
    const down = standIn.responseUrl('feedback-down');
    await sendInteraction(eventsUrl, slackTokens.signingSecret, buttonClickPayload({ actionId: 'docent_feedback_up', value: 'ans_0001', userId: 'UBOB', channelId: 'CGENERAL', responseUrl: up }));
    await sendInteraction(eventsUrl, slackTokens.signingSecret, buttonClickPayload({ actionId: 'docent_feedback_down', value: 'ans_0002', userId: 'UANN', channelId: 'CGENERAL', responseUrl: down }));
    await standIn.waitFor(() => standIn.responses.filter((response) => response.id.startsWith('feedback-')).length === 2);
    expect(feedback.feedback).toEqual([
      { answerId: 'ans_0001', asker: { id: 'slack:UBOB', principals: ['user:ubob', 'user:bob@acme.example'] }, rating: 'up', platform: 'slack' },
      { answerId: 'ans_0002', asker: { id: 'slack:UANN', principals: ['user:uann', 'user:ann@acme.example', 'group:hr'] }, rating: 'down', platform: 'slack' },
    ]);
    expect(standIn.responses.find((response) => response.id === 'feedback-up')!.body).toEqual({ response_type: 'ephemeral', replace_original: false, text: 'Thanks for your feedback.' });

    feedback.failNext = true;
    await sendInteraction(eventsUrl, slackTokens.signingSecret, buttonClickPayload({ actionId: 'docent_feedback_up', value: 'ans_0003', userId: 'UBOB', channelId: 'CGENERAL', responseUrl: standIn.responseUrl('feedback-failed') }));
    const failed = await standIn.waitFor(() => standIn.responses.find((response) => response.id === 'feedback-failed'));
    expect(failed.body.text).toBe('Sorry, your feedback could not be recorded just now. Please try again later.');
  });
});

describe('Slack surface with the permission code: answers for everyone who reads them', () => {
  let standIn: SlackStandIn;
  let surface: SlackSurface;
  let eventsUrl: string;
  const channelMembers: Record<string, string[]> = {
    CHR: ['UANN', 'UDOCENT', 'UBOB', 'UDEPLOYBOT'],
    CALLHANDS: ['UANN', 'UBOB', 'UCAROL', 'UDAVE', 'UERIN', 'UFRANK'],
  };
  const engine = new ScriptedAnswerEngine();
  /** The organisation's directory: people by the e-mail Slack gives, with their groups. */
  const people: Record<string, string[]> = { 'ann@acme.example': ['group:hr'], 'bob@acme.example': ['group:engineering'], 'dave@acme.example': [] };
  const resolved: string[] = [];
  const channels = { defaultAudience: 'common' as const, maximumCommonMembers: 5 };
  let access: AccessResolver;
  const directory: Directory = {
    kind: 'static',
    async resolve(identity) {
      resolved.push(identity.userId);
      const groups = identity.email ? people[identity.email] : undefined;
      return groups ? { found: true, principals: [`user:${identity.email}`, ...groups] } : { found: false, principals: [] };
    },
    async close() {},
  };

  beforeAll(async () => {
    standIn = await SlackStandIn.start({
      botToken: slackTokens.botToken,
      appToken: slackTokens.appToken,
      users: { ...slackUsers, UDOCENT: { name: 'docent', isBot: true }, UDEPLOYBOT: { name: 'deploy', isBot: true }, UDAVE: { name: 'dave', email: 'dave@acme.example' }, UERIN: { name: 'erin' } },
      channelMembers,
    });
    access = new AccessResolver(directory, new ChannelPolicyResolver(ChannelSettingsStore.in(await temporaryDirectory('docent-slack-channels-')), channels), { maximumCommonMembers: 5, warn: () => undefined });
    const started = await startSlackSurfaceForTest({ standIn, engine, mode: 'http', channels, extra: { access } });
    surface = started.surface;
    eventsUrl = started.eventsUrl!;
  });

  afterAll(async () => {
    await surface?.stop();
    await standIn?.close();
  });

  const mention = async (channel: string, user = 'UANN'): Promise<void> => {
    const ts = nextTs();
    await sendEvent(eventsUrl, slackTokens.signingSecret, eventCallback(appMentionEvent({ user, text: '<@UDOCENT> What are the salary bands?', channel, ts })));
    await waitForFinishedReply(standIn, channel, ts);
  };

  it('gives a channel answer the common access of the people there, bots left out', async () => {
    await mention('CHR');
    expect(engine.questions.at(-1)).toEqual({
      text: 'What are the salary bands?',
      asker: { id: 'slack:UANN', principals: ['user:ann@acme.example', 'group:hr'] },
      conversation: { platform: 'slack', channelId: 'CHR', teamId: 'T0001', threadId: expect.any(String), visibility: 'shared' },
      audience: { members: [['group:hr', 'user:ann@acme.example'], ['group:engineering', 'user:bob@acme.example']] },
    });
    expect(resolved.filter((userId) => userId.startsWith('UDEPLOY') || userId === 'UDOCENT')).toEqual([]);
  });

  it('gives a direct message the asker\'s own access', async () => {
    await sendEvent(eventsUrl, slackTokens.signingSecret, eventCallback(messageEvent({ user: 'UBOB', text: 'What are the salary bands?', channel: 'DBOB', channelType: 'im' })));
    await waitForFinishedReply(standIn, 'DBOB', undefined);
    expect(engine.questions.at(-1)).toEqual({
      text: 'What are the salary bands?',
      asker: { id: 'slack:UBOB', principals: ['user:bob@acme.example', 'group:engineering'] },
      conversation: { platform: 'slack', channelId: 'DBOB', teamId: 'T0001', visibility: 'private' },
    });
  });

  it('reads the members again as soon as someone joins', async () => {
    await mention('CHR');
    const listings = standIn.callsOf('conversations.members').length;
    channelMembers.CHR!.push('UDAVE');
    await sendEvent(eventsUrl, slackTokens.signingSecret, eventCallback({ type: 'member_joined_channel', user: 'UDAVE', channel: 'CHR', channel_type: 'C', team: 'T0001', event_ts: nextTs() }));
    await mention('CHR');
    expect(standIn.callsOf('conversations.members')).toHaveLength(listings + 1);
    expect(engine.questions.at(-1)!.audience).toEqual({ members: [['group:hr', 'user:ann@acme.example'], ['group:engineering', 'user:bob@acme.example'], ['user:dave@acme.example']] });
  });

  it('gives the same access through resolvePrincipals and resolveAudience, as docent serve wires the Teams surface', async () => {
    const teamsStyle = await startSlackSurfaceForTest({
      standIn,
      engine,
      mode: 'http',
      channels,
      extra: { resolvePrincipals: async (identity) => (await access.directory.resolve(identity)).principals, resolveAudience: audienceResolverFor(access, channels.maximumCommonMembers) },
    });
    try {
      const ts = nextTs();
      await sendEvent(teamsStyle.eventsUrl!, slackTokens.signingSecret, eventCallback(appMentionEvent({ user: 'UBOB', text: '<@UDOCENT> What are the salary bands?', channel: 'CHR', ts })));
      await waitForFinishedReply(standIn, 'CHR', ts);
      expect(engine.questions.at(-1)).toMatchObject({
        asker: { id: 'slack:UBOB', principals: ['user:ubob', 'user:bob@acme.example', 'group:engineering'] },
        audience: { members: [['group:hr', 'user:ann@acme.example'], ['group:engineering', 'user:bob@acme.example'], ['user:dave@acme.example']] },
      });
    } finally {
      await teamsStyle.surface.stop();
    }
  });

  it('fails closed, to documents open to everyone, for a channel too large or whose members cannot be listed', async () => {
    await mention('CALLHANDS');
    expect(engine.questions.at(-1)).toMatchObject({ audience: 'public', accessNotice: 'This conversation has more than 5 members, so answers here use only documents open to everyone.' });
    await mention('CUNLISTED');
    expect(engine.questions.at(-1)).toMatchObject({ audience: 'public', accessNotice: 'Docent could not list who is in this conversation, so this answer uses only documents open to everyone.' });
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import Fastify from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTeamsSurface, type TeamsSurface } from '../../src/chat/teams/teams-surface.js';
import { audienceUnknownNotice, directoryUnavailableNotice } from '../../src/chat/teams/teams-asker.js';
import { feedbackVerb } from '../../src/chat/teams/feedback-action.js';
import { welcomeText } from '../../src/chat/teams/teams-messages.js';
import { teamsSchema } from '../../src/config/schema.js';
import type { Answer, Citation } from '../../src/core/answer.js';
import type { AnswerEngine, AskOptions, Question } from '../../src/core/answer-engine.js';
import { DocentError } from '../../src/core/errors.js';
import type { Feedback, FeedbackRecorder } from '../../src/core/feedback.js';
import {
  adaptiveCardAction,
  bot,
  botAdded,
  channel,
  channelMessage,
  groupChatMessage,
  personalMessage,
  postActivity,
  team,
  teamsUser,
  type TeamsUser,
} from '../support/bot-framework-activities.js';
import { startBotFrameworkConnectorStandIn, type BotFrameworkConnectorStandIn, type ConnectorRequest } from '../support/bot-framework-connector-stand-in.js';

/**
 * The Teams surface end to end: real activity JSON posted to the real botbuilder
 * CloudAdapter over HTTP, replies going to a local stand-in of the Bot Framework connector
 * service (the activities' `serviceUrl`). Without an app id botbuilder skips authentication
 * (see teams-authentication.test.ts for the authenticated endpoint). Only the answer engine
 * and the feedback recorder are fakes, implementing the real interfaces.
 */

const ann = teamsUser('ann', 'Ann Lee', '0a1b2c3d-0000-4000-8000-0000000000a1');
const bob = teamsUser('bob', 'Bob Kim', '0a1b2c3d-0000-4000-8000-0000000000b2');

const leavePolicy: Citation = {
  number: 1,
  documentId: 'confluence:HR/leave',
  chunkId: 'confluence:HR/leave#2',
  title: 'Leave policy [2024]',
  uri: 'https://wiki.corp.example.com/display/HR/Leave+policy',
  location: {},
  headingPath: ['Annual leave'],
  locationLabel: 'Annual leave',
  excerpt: 'Every employee receives 25 days of annual leave per calendar year.',
};
const handbook: Citation = {
  number: 2,
  documentId: 'folder:handbook/employee handbook.docx',
  chunkId: 'folder:handbook/employee handbook.docx#7',
  title: 'Employee handbook',
  uri: 'handbook/employee handbook.docx',
  location: {},
  headingPath: ['Time off'],
  locationLabel: 'Time off › Carrying leave over',
  excerpt: 'Up to 5 unused days may be carried over.',
};

/** Implements the real interface; records each question; can be held open or made to fail. */
class RecordingAnswerEngine implements AnswerEngine {
  readonly questions: Question[] = [];
  failWith: unknown;
  private gate: Promise<void> | undefined;
  private openGate: (() => void) | undefined;

  /** Questions wait until `release()`; to observe what happens while an answer is being written. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = undefined;
  }

  async ask(question: Question, _options?: AskOptions): Promise<Answer> {
    this.questions.push(structuredClone(question));
    const turn = this.questions.length;
    if (this.gate) await this.gate;
    if (this.failWith !== undefined) throw this.failWith;
    const text = `Answer ${turn}: every employee gets 25 days of annual leave [1], and up to 5 days carry over [2].`;
    return {
      id: `answer-${turn}`,
      question: question.text,
      notFound: false,
      text,
      sentences: [{ text, citations: [1, 2] }],
      citations: [leavePolicy, handbook],
      generator: 'extractive',
      notice: 'No language model is configured: this answer quotes the documents.',
      elapsedMs: 3,
    };
  }
}

class RecordingFeedback implements FeedbackRecorder {
  readonly received: Feedback[] = [];
  failWith: unknown;
  async recordFeedback(feedback: Feedback): Promise<void> {
    if (this.failWith !== undefined) throw this.failWith;
    this.received.push(structuredClone(feedback));
  }
}

const typingOnly = (request: ConnectorRequest): boolean => request.body?.type === 'typing';

describe('Teams surface (CloudAdapter against a Bot Framework connector stand-in)', () => {
  let connector: BotFrameworkConnectorStandIn;
  let engine: RecordingAnswerEngine;
  let feedback: RecordingFeedback;
  let surface: TeamsSurface;
  let server: http.Server;
  let endpoint: string;
  let resolvePrincipals: (identity: { upn?: string }) => Promise<string[]>;

  beforeAll(async () => {
    connector = await startBotFrameworkConnectorStandIn({ members: [ann, bob].map((user) => ({ ...user, tenantId: '72f988bf-0000-4000-8000-00000000c0de', userRole: 'user' as const })) });
  });

  afterAll(async () => {
    await connector.close();
  });

  beforeEach(async () => {
    connector.requests.length = 0;
    connector.failures.length = 0;
    engine = new RecordingAnswerEngine();
    feedback = new RecordingFeedback();
    resolvePrincipals = async (identity) => (identity.upn === ann.userPrincipalName ? ['group:hr'] : []);
    surface = createTeamsSurface({
      engine,
      feedback,
      config: teamsSchema.parse({ allowUnauthenticated: true, publicUrl: 'https://docent.corp.example.com' }),
      resolvePrincipals: (identity) => resolvePrincipals(identity),
      typingIntervalMs: 60_000,
    });
    server = http.createServer((request, response) => void surface.handleRequest(request, response));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  });

  afterEach(async () => {
    engine.release();
    await surface.close();
    server.closeAllConnections();
    server.close();
  });

  /** Posts a question and waits until its answer (or apology) has been posted. */
  async function ask(activity: { id: string }): Promise<ConnectorRequest[]> {
    const before = connector.requests.length;
    const response = await postActivity(endpoint, activity);
    expect(response.status).toBe(200);
    await surface.settled();
    return connector.requests.slice(before);
  }

  function cardOf(request: ConnectorRequest): { body: Array<Record<string, unknown>>; actions?: Array<Record<string, unknown>> } & Record<string, unknown> {
    const attachments = request.body?.attachments as Array<{ contentType: string; content: never }>;
    expect(attachments).toHaveLength(1);
    expect(attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    return attachments[0]!.content;
  }

  it('answers a personal chat message: typing at once, then the Adaptive Card, both replying to the question', async () => {
    const question = personalMessage(connector.serviceUrl, ann, 'How many days of annual leave do I get?');
    const sent = await ask(question);
    const conversationId = question.conversation.id;

    // The member record is read once for the UPN; then typing, then the answer.
    expect(sent.map((request) => [request.operation, request.body?.type])).toEqual([
      ['replyToActivity', 'typing'],
      ['getConversationMember', undefined],
      ['replyToActivity', 'message'],
    ]);
    expect(sent[1]).toMatchObject({ conversationId, memberId: ann.id });
    for (const reply of [sent[0]!, sent[2]!]) {
      expect(reply).toMatchObject({ conversationId, activityId: question.id, authorization: undefined });
      expect(reply.body).toMatchObject({
        replyToId: question.id,
        conversation: { id: conversationId },
        from: { id: bot.id },
        recipient: { id: ann.id },
        channelId: 'msteams',
      });
    }

    const card = cardOf(sent[2]!);
    expect(card).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(card.body.map((element) => element.text)).toEqual([
      'Answer 1: every employee gets 25 days of annual leave [1], and up to 5 days carry over [2].',
      'No language model is configured: this answer quotes the documents.',
      'Sources',
      '1. [Leave policy (2024)](https://wiki.corp.example.com/display/HR/Leave+policy) · Annual leave',
      `2. [Employee handbook](https://docent.corp.example.com/files/${encodeURIComponent('folder:handbook/employee handbook.docx')}) · Time off › Carrying leave over`,
    ]);
    expect(card.actions).toEqual([
      expect.objectContaining({ type: 'Action.Execute', title: '👍 Helpful', verb: feedbackVerb, data: { docentFeedback: 'up', answerId: 'answer-1' } }),
      expect.objectContaining({ type: 'Action.Execute', title: '👎 Not helpful', verb: feedbackVerb, data: { docentFeedback: 'down', answerId: 'answer-1' } }),
    ]);

    // Identity: AAD object id and UPN as principals, plus what the directory adds; a private conversation.
    expect(engine.questions).toHaveLength(1);
    expect(engine.questions[0]).toEqual({
      text: 'How many days of annual leave do I get?',
      asker: { id: `teams:${ann.aadObjectId}`, principals: [`user:${ann.aadObjectId}`, `user:${ann.userPrincipalName}`, 'group:hr'] },
      conversation: { platform: 'teams', channelId: conversationId, visibility: 'private' },
      history: [],
    });
  });

  it('acknowledges the request before the answer is ready, and keeps typing while it is written', async () => {
    await surface.close();
    surface = createTeamsSurface({ engine, feedback, config: teamsSchema.parse({ allowUnauthenticated: true }), typingIntervalMs: 40 });
    engine.hold();
    const question = personalMessage(connector.serviceUrl, bob, 'Where is the expense form?');
    const response = await postActivity(endpoint, question);
    expect(response.status).toBe(200);
    await connector.waitFor((requests) => requests.some(typingOnly));
    await vi.waitFor(() => expect(engine.questions).toHaveLength(1));
    expect(connector.activities().map((request) => request.body?.type).every((type) => type === 'typing')).toBe(true);

    await connector.waitFor((requests) => requests.filter(typingOnly).length >= 3);
    engine.release();
    await surface.settled();
    const types = connector.activities().map((request) => request.body?.type);
    expect(types.at(-1)).toBe('message');
    expect(types.slice(0, -1).every((type) => type === 'typing')).toBe(true);
    // Nothing after the answer: a late typing indicator would make Teams show "typing…" again.
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(connector.activities().at(-1)?.body?.type).toBe('message');
  });

  it('answers a follow-up in the same conversation with the earlier turns as memory', async () => {
    const first = personalMessage(connector.serviceUrl, ann, 'How many days of annual leave do I get?');
    await ask(first);
    await ask(personalMessage(connector.serviceUrl, ann, 'And can I carry them over?'));
    expect(engine.questions[1]!.history).toEqual([
      { question: 'How many days of annual leave do I get?', answer: 'Answer 1: every employee gets 25 days of annual leave [1], and up to 5 days carry over [2].' },
    ]);
    // Another person's personal chat is another conversation.
    await ask(personalMessage(connector.serviceUrl, bob, 'And can I carry them over?'));
    expect(engine.questions[2]!.history).toEqual([]);
  });

  it('answers a channel @mention in the thread under it, without the mention, as a shared answer', async () => {
    const root = channelMessage(connector.serviceUrl, ann, 'How many days of annual leave do we get?');
    const sent = await ask(root);
    const threadConversation = `${channel.id};messageid=${root.id}`;
    const replies = sent.filter((request) => request.operation === 'replyToActivity');
    expect(replies.map((request) => request.body?.type)).toEqual(['typing', 'message']);
    for (const reply of replies) expect(reply).toMatchObject({ conversationId: threadConversation, activityId: root.id, body: { replyToId: root.id } });
    // In a team the member record is read from the team's roster.
    expect(sent.find((request) => request.operation === 'getConversationMember')).toMatchObject({ conversationId: team.id, memberId: ann.id });

    expect(engine.questions[0]).toMatchObject({
      text: 'How many days of annual leave do we get?',
      conversation: { platform: 'teams', channelId: channel.id, teamId: team.id, threadId: root.id, visibility: 'shared' },
    });

    // A follow-up in the thread (an @mention again: Teams delivers only those) sees the thread's history.
    const followUp = channelMessage(connector.serviceUrl, bob, 'What about part-time staff?', { rootId: root.id });
    const followUpSent = await ask(followUp);
    expect(engine.questions[1]).toMatchObject({ text: 'What about part-time staff?', history: [{ question: 'How many days of annual leave do we get?' }] });
    expect(followUpSent.filter((request) => request.operation === 'replyToActivity').at(-1)).toMatchObject({ conversationId: threadConversation, activityId: followUp.id });

    // A new post in the same channel is a new thread with no memory.
    await ask(channelMessage(connector.serviceUrl, ann, 'What about part-time staff?'));
    expect(engine.questions[2]!.history).toEqual([]);
  });

  it('answers a group chat @mention as a shared answer', async () => {
    const question = groupChatMessage(connector.serviceUrl, bob, 'Who approves travel?');
    const sent = await ask(question);
    expect(engine.questions[0]).toMatchObject({ text: 'Who approves travel?', conversation: { platform: 'teams', channelId: question.conversation.id, visibility: 'shared' } });
    expect(engine.questions[0]!.conversation!.teamId).toBeUndefined();
    expect(sent.at(-1)).toMatchObject({ operation: 'replyToActivity', conversationId: question.conversation.id, activityId: question.id });
  });

  it('records a 👍 click against the answer and answers the invoke with a message for the clicker', async () => {
    const question = channelMessage(connector.serviceUrl, ann, 'How many days of annual leave do we get?');
    const sent = await ask(question);
    const cardReply = sent.at(-1)!;
    const card = cardOf(cardReply);
    const thumbsUp = card.actions![0]!;

    const before = connector.requests.length;
    const response = await postActivity(endpoint, adaptiveCardAction(question, bob, cardReply.assignedId!, { verb: thumbsUp.verb as string, data: thumbsUp.data, title: thumbsUp.title as string }));
    expect(response).toEqual({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Thanks for your feedback.' } });
    expect(feedback.received).toEqual([{ answerId: 'answer-1', asker: { id: `teams:${bob.aadObjectId}`, principals: [`user:${bob.aadObjectId}`] }, rating: 'up', platform: 'teams' }]);
    // Nothing posted to the channel for a click.
    expect(connector.requests.length).toBe(before);
  });

  it('answers a feedback invoke it cannot use with an Adaptive Card error response', async () => {
    const question = personalMessage(connector.serviceUrl, ann, 'Hello?');
    const forged = await postActivity(endpoint, adaptiveCardAction(question, ann, '1', { verb: feedbackVerb, data: { docentFeedback: 'meh', answerId: 'answer-1' } }));
    expect(forged).toEqual({ status: 400, body: { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'This feedback button is not from a Docent answer.' } } });

    feedback.failWith = new Error('audit log unavailable');
    const failed = await postActivity(endpoint, adaptiveCardAction(question, ann, '1', { verb: feedbackVerb, data: { docentFeedback: 'down', answerId: 'answer-1' } }));
    expect(failed).toMatchObject({ status: 500, body: { statusCode: 500, type: 'application/vnd.microsoft.error' } });

    // An invoke for a feature Docent does not offer is "not implemented", as botbuilder's own handlers answer.
    const other = await postActivity(endpoint, { ...adaptiveCardAction(question, ann, '1', { verb: 'something-else', data: {} }) });
    expect(other.status).toBe(501);
    expect(feedback.received).toEqual([]);
  });

  it('records feedback from the Action.Submit fallback (a message with value) without posting anything', async () => {
    const click = { ...personalMessage(connector.serviceUrl, ann, ''), text: undefined, value: { docentFeedback: 'down', answerId: 'answer-7' } };
    const sent = await ask(click);
    expect(sent).toEqual([]);
    expect(feedback.received).toEqual([{ answerId: 'answer-7', asker: { id: `teams:${ann.aadObjectId}`, principals: [`user:${ann.aadObjectId}`] }, rating: 'down', platform: 'teams' }]);
  });

  it('greets once when added to a personal chat or a team, and not when others join', async () => {
    const personal = botAdded(connector.serviceUrl, ann, 'personal');
    await ask(personal);
    const inTeam = botAdded(connector.serviceUrl, ann, 'team');
    await ask(inTeam);
    const greetings = connector.activities();
    expect(greetings.map((request) => [request.conversationId, request.body?.text])).toEqual([
      [personal.conversation.id, welcomeText],
      [team.id, welcomeText],
    ]);

    const someoneJoined = { ...botAdded(connector.serviceUrl, ann, 'team'), membersAdded: [{ id: bob.id, aadObjectId: bob.aadObjectId }] };
    expect(await ask(someoneJoined)).toEqual([]);
    expect(engine.questions).toEqual([]);
  });

  it('apologises in the thread when answering fails, never leaving silence', async () => {
    engine.failWith = new DocentError('index_unavailable', 'the index is being rebuilt');
    const question = channelMessage(connector.serviceUrl, ann, 'How many days of annual leave do we get?');
    const sent = await ask(question);
    const replies = sent.filter((request) => request.operation === 'replyToActivity');
    expect(replies.map((request) => request.body?.type)).toEqual(['typing', 'message']);
    expect(replies[1]!.body).toMatchObject({ replyToId: question.id, text: "Sorry, I couldn't answer that just now. Please try again in a moment." });
    expect(replies[1]!.body?.attachments).toBeUndefined();
  });

  it('apologises when Teams refuses the card, and reports failed deliveries until a reply gets through', async () => {
    expect(surface.state()).toMatchObject({ ok: true, detail: expect.stringContaining('no replies sent yet') });
    connector.failures.push({ status: 400, code: 'BadArgument', message: 'Activity is too large.', activityType: 'message' });
    const question = personalMessage(connector.serviceUrl, ann, 'How many days of annual leave do I get?');
    const sent = await ask(question);
    const replies = sent.filter((request) => request.operation === 'replyToActivity');
    expect(replies.map((request) => [request.body?.type, request.body?.attachments ? 'card' : request.body?.text])).toEqual([
      ['typing', undefined],
      ['message', 'card'],
      ['message', "Sorry, something went wrong while I was answering. Please try again, or ask the Docent administrator if it keeps happening."],
    ]);
    expect(surface.state().ok).toBe(true);

    // The bot was removed from the chat: nothing gets through, and /readyz says so.
    const removed = { status: 403, code: 'BotNotInConversationRoster', message: 'The bot is not part of the conversation roster.' };
    connector.failures.push(removed, removed, removed);
    await ask(personalMessage(connector.serviceUrl, ann, 'Second question?'));
    expect(connector.failures).toEqual([]);
    expect(surface.state()).toMatchObject({ ok: false, detail: expect.stringContaining('replies failing since') });

    await ask(personalMessage(connector.serviceUrl, ann, 'Third question?'));
    expect(surface.state()).toMatchObject({ ok: true, detail: expect.stringContaining('last reply delivered') });
  });

  it('answers a redelivered activity (same id) only once', async () => {
    const question = personalMessage(connector.serviceUrl, ann, 'How many days of annual leave do I get?');
    await ask(question);
    const again = await ask(question);
    expect(again).toEqual([]);
    expect(engine.questions).toHaveLength(1);
  });

  it('asks for a question when a message holds only the @mention', async () => {
    const question = channelMessage(connector.serviceUrl, ann, '');
    const sent = await ask(question);
    expect(sent.map((request) => request.body?.text)).toEqual(['What would you like to know? Ask me a question about your documents.']);
    expect(engine.questions).toEqual([]);
  });

  it('answers with the asker\'s own principals and says so when the directory cannot be reached', async () => {
    resolvePrincipals = async () => {
      throw new DocentError('directory_unavailable', 'LDAP server unreachable');
    };
    await ask(personalMessage(connector.serviceUrl, ann, 'How many days of annual leave do I get?'));
    expect(engine.questions[0]).toMatchObject({
      asker: { id: `teams:${ann.aadObjectId}`, principals: [`user:${ann.aadObjectId}`, `user:${ann.userPrincipalName}`] },
      accessNotice: directoryUnavailableNotice,
    });
  });

  it('asks the audience resolver who reads a shared answer, listing the team roster from Teams', async () => {
    await surface.close();
    const requests: Array<{ conversation: unknown; members: unknown }> = [];
    let failAudience = false;
    surface = createTeamsSurface({
      engine,
      config: teamsSchema.parse({ allowUnauthenticated: true }),
      resolveAudience: async ({ conversation, listMembers }) => {
        if (failAudience) throw new DocentError('directory_unavailable', 'LDAP server unreachable');
        const members = await listMembers(100);
        requests.push({ conversation, members });
        return { audience: { members: (members ?? []).map((member) => [`user:${member.userId}`]) } };
      },
    });
    const root = channelMessage(connector.serviceUrl, ann, 'Who approves travel?');
    const sent = await ask(root);
    expect(sent.find((request) => request.operation === 'getConversationPagedMembers')).toMatchObject({ conversationId: team.id });
    expect(requests).toEqual([
      {
        conversation: { platform: 'teams', channelId: channel.id, teamId: team.id, threadId: root.id, visibility: 'shared' },
        members: [ann, bob].map((user) => ({ platform: 'teams', userId: user.aadObjectId, upn: user.userPrincipalName, email: user.email })),
      },
    ]);
    expect(engine.questions[0]!.audience).toEqual({ members: [[`user:${ann.aadObjectId}`], [`user:${bob.aadObjectId}`]] });

    // The roster is reused for a while rather than paged through on every question.
    const again = await ask(channelMessage(connector.serviceUrl, bob, 'And who approves expenses?'));
    expect(again.some((request) => request.operation === 'getConversationPagedMembers')).toBe(false);

    // Not asked in a personal chat, where the asker alone reads the answer.
    await ask(personalMessage(connector.serviceUrl, ann, 'Who approves my travel?'));
    expect(requests).toHaveLength(2);
    expect(engine.questions[2]!.audience).toBeUndefined();

    failAudience = true;
    await ask(groupChatMessage(connector.serviceUrl, ann, 'Who approves travel?'));
    expect(engine.questions[3]!.audience).toBeUndefined();
    expect(engine.questions[3]!.accessNotice).toBe(audienceUnknownNotice);
  });

  it('still answers when the member record cannot be read, with the AAD object id alone', async () => {
    const stranger = teamsUser('carol', 'Carol Diaz', '0a1b2c3d-0000-4000-8000-0000000000c3');
    await ask(personalMessage(connector.serviceUrl, stranger, 'How many days of annual leave do I get?'));
    expect(engine.questions[0]!.asker).toEqual({ id: `teams:${stranger.aadObjectId}`, principals: [`user:${stranger.aadObjectId}`] });
    expect(connector.activities().at(-1)?.body?.attachments).toBeDefined();
  });

  it('refuses, in unauthenticated mode, activities that would send answers off this machine', async () => {
    const question = personalMessage('https://smba.trafficmanager.net/emea/', ann, 'How many days of annual leave do I get?');
    const response = await postActivity(endpoint, question);
    expect(response.status).toBe(401);
    expect(engine.questions).toEqual([]);
    expect(surface.state().detail).toContain('1 unauthenticated requests rejected');
  });

  it('refuses what is not an activity', async () => {
    expect((await fetch(endpoint)).status).toBe(405);
    expect((await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })).status).toBe(400);
    expect((await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
    expect((await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'x'.repeat(2 * 1024 * 1024) }) })).status).toBe(413);
    expect((await postActivity(endpoint, { serviceUrl: connector.serviceUrl })).status).toBe(400);
  });

  it('serves the same endpoint as a route on a Fastify app such as the web chat', async () => {
    const app = Fastify();
    surface.register(app);
    const address = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const question = personalMessage(connector.serviceUrl, ann, 'How many days of annual leave do I get?');
      const response = await postActivity(`${address}/api/messages`, question);
      expect(response.status).toBe(200);
      await surface.settled();
      expect(connector.activities().map((request) => request.body?.type)).toEqual(['typing', 'message']);
      const click = await postActivity(`${address}/api/messages`, adaptiveCardAction(question, ann, '1', { verb: feedbackVerb, data: { docentFeedback: 'up', answerId: 'answer-1' } }));
      expect(click.body).toEqual({ statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'Thanks for your feedback.' });
    } finally {
      await app.close();
    }
  });
});

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SlackSurface } from '../../src/chat/slack/slack-surface.js';
import { createTeamsSurface, type TeamsSurface } from '../../src/chat/teams/teams-surface.js';
import { createWebServer } from '../../src/chat/web/web-server.js';
import { teamsSchema } from '../../src/config/schema.js';
import type { Answer } from '../../src/core/answer.js';
import type { Chunk } from '../../src/core/chunk.js';
import type { ChunkIndex } from '../../indexes/chunk-index.js';
import { personalMessage, postActivity, teamsUser } from '../support/bot-framework-activities.js';
import { startBotFrameworkConnectorStandIn, type BotFrameworkConnectorStandIn } from '../support/bot-framework-connector-stand-in.js';
import { extractiveEngineOver, hashingIndexOf } from '../support/hashing-index.js';
import { slackTokens, slackUsers, startSlackSurfaceForTest, waitForFinishedReply } from '../support/slack-harness.js';
import { eventCallback, messageEvent } from '../support/slack-payloads.js';
import { SlackStandIn } from '../support/slack-stand-in.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

/**
 * One answer engine behind all three surfaces, as `docent serve` runs them: the same
 * question, asked privately by someone with the same access, gets the same answer text and
 * the same numbered sources in the web chat, in Slack and in Teams, and the same honest
 * "not found" with the same closest sources. Each surface only translates.
 */
const documents: Array<[id: string, title: string, text: string]> = [
  ['leave', 'Annual leave policy', 'Every employee receives 25 days of annual leave per calendar year. Leave is requested in the HR portal at least two weeks ahead.'],
  ['expenses', 'Travel expenses', 'Travel expenses are reimbursed within 30 days when receipts are attached. Economy class is the default for flights under six hours.'],
  ['security', 'Laptop security', 'Laptops lock after five minutes without use. A lost laptop is reported to the service desk at once.'],
];

function chunkOf([id, title, text]: (typeof documents)[number]): Chunk {
  return { id: `${id}#0`, documentId: id, sourceId: 'handbook', ordinal: 0, title, uri: `https://intranet.corp.example.com/handbook/${id}`, headingPath: [title], location: {}, startOffset: 0, endOffset: text.length, text, tokenCount: 40, access: ['everyone'], contentHash: id };
}

const teamsBob = teamsUser('bob', 'Bob Stone', '0a1b2c3d-0000-4000-8000-0000000000b2');

describe('the same answer on the web chat, Slack and Teams', () => {
  let index: ChunkIndex;
  let web: FastifyInstance;
  let slack: SlackStandIn;
  let slackSurface: SlackSurface;
  let connector: BotFrameworkConnectorStandIn;
  let teamsSurface: TeamsSurface;
  let teamsServer: http.Server;
  let teamsEndpoint: string;

  beforeAll(async () => {
    const indexed = await hashingIndexOf(await temporaryDirectory('docent-same-answer-'), documents.map(chunkOf));
    index = indexed.index;
    const engine = extractiveEngineOver(indexed);

    web = await createWebServer({ engine, documents: { open: async () => undefined }, readiness: async () => ({ ready: true, checks: {} }) });
    slack = await SlackStandIn.start({ botToken: slackTokens.botToken, appToken: slackTokens.appToken, users: slackUsers });
    ({ surface: slackSurface } = await startSlackSurfaceForTest({ standIn: slack, engine, mode: 'socket' }));
    connector = await startBotFrameworkConnectorStandIn({ members: [{ ...teamsBob }] });
    teamsSurface = createTeamsSurface({ engine, config: teamsSchema.parse({ allowUnauthenticated: true }) });
    teamsServer = http.createServer((request, response) => void teamsSurface.handleRequest(request, response));
    teamsServer.listen(0, '127.0.0.1');
    await once(teamsServer, 'listening');
    teamsEndpoint = `http://127.0.0.1:${(teamsServer.address() as AddressInfo).port}/api/messages`;
  });

  afterAll(async () => {
    await web?.close();
    await slackSurface?.stop();
    await slack?.close();
    await teamsSurface?.close();
    teamsServer?.closeAllConnections();
    teamsServer?.close();
    await connector?.close();
    index?.close();
  });

  async function inWebChat(question: string): Promise<Answer> {
    const response = await web.inject({ method: 'POST', url: '/api/ask', payload: { question } });
    expect(response.statusCode).toBe(200);
    return response.json() as Answer;
  }

  async function inSlack(question: string): Promise<{ text: string; blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }> }> {
    await slack.sendEnvelope('events_api', eventCallback(messageEvent({ user: 'UBOB', text: question, channel: 'DBOB', channelType: 'im' })));
    const final = (await waitForFinishedReply(slack, 'DBOB', undefined)).updates.at(-1)!;
    slack.calls.length = 0;
    return final.params as { text: string; blocks: Array<{ type: string; text?: { text: string }; elements?: Array<{ text: string }> }> };
  }

  async function inTeams(question: string): Promise<string[]> {
    const before = connector.requests.length;
    expect((await postActivity(teamsEndpoint, personalMessage(connector.serviceUrl, teamsBob, question))).status).toBe(200);
    await teamsSurface.settled();
    const card = connector.requests.slice(before).filter((sent) => sent.body?.type === 'message').at(-1)!;
    const attachments = card.body?.attachments as Array<{ content: { body: Array<{ text: string }> } }>;
    return attachments[0]!.content.body.map((element) => element.text);
  }

  const slackEscaped = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

  function expectSameEverywhere(answer: Answer, slackReply: Awaited<ReturnType<typeof inSlack>>, teamsCard: string[]): void {
    expect(slackReply.text).toBe(slackEscaped(answer.text));
    expect(teamsCard[0]).toBe(answer.text);
    // The numbered sources, in the same order, on each surface.
    const slackSources = slackReply.blocks.flatMap((block) => block.elements ?? []).map((element) => element.text).filter((text) => /^\*\[\d+\]\*/.test(text));
    expect(slackSources.map((text) => text.match(/^\*\[(\d+)\]\* <[^|]+\|([^>]+)>/)!.slice(1, 3))).toEqual(answer.citations.map((citation) => [String(citation.number), citation.title]));
    const heading = answer.notFound ? 'Closest sources' : 'Sources';
    expect(teamsCard.slice(teamsCard.indexOf(heading) + 1)).toEqual(answer.citations.map((citation) => `${citation.number}. [${citation.title}](${citation.uri})`));
  }

  it('answers a question with the same text and sources', async () => {
    const question = 'How many days of annual leave does an employee get?';
    const [answer, slackReply, teamsCard] = [await inWebChat(question), await inSlack(question), await inTeams(question)];
    expect(answer.notFound).toBe(false);
    expect(answer.text).toContain('25 days of annual leave');
    expect(answer.citations.map((citation) => citation.documentId)).toEqual(['leave']);
    expectSameEverywhere(answer, slackReply, teamsCard);
  });

  it('says it could not find an answer, with the same closest sources', async () => {
    const question = 'Where do visitors park their cars?';
    const [answer, slackReply, teamsCard] = [await inWebChat(question), await inSlack(question), await inTeams(question)];
    expect(answer.notFound).toBe(true);
    expect(answer.citations.length).toBeGreaterThan(0);
    expectSameEverywhere(answer, slackReply, teamsCard);
  });
});

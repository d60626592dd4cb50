import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noModelNotice } from '../../src/answer/answer-engine.js';
import { createTeamsSurface, type TeamsSurface } from '../../src/chat/teams/teams-surface.js';
import { teamsSchema } from '../../src/config/schema.js';
import type { Chunk } from '../../src/core/chunk.js';
import type { ChunkIndex } from '../../indexes/chunk-index.js';
import { channelMessage, personalMessage, postActivity, teamsUser } from '../support/bot-framework-activities.js';
import { startBotFrameworkConnectorStandIn, type BotFrameworkConnectorStandIn, type ConnectorRequest } from '../support/bot-framework-connector-stand-in.js';
import { extractiveEngineOver, hashingIndexOf } from '../support/hashing-index.js';

/**
 * One question through everything real but the platform: the botbuilder adapter, the
 * answer engine with the extractive answerer over a LanceDB index, and permissions
 * filtered in retrieval from the Teams identity.
 */

const documents: Array<[id: string, title: string, text: string, access: string[]]> = [
  ['leave', 'Annual leave policy', 'Every employee receives 25 days of annual leave per calendar year. Leave is requested in the HR portal at least two weeks ahead.', ['everyone']],
  ['expenses', 'Travel expenses', 'Travel expenses are reimbursed within 30 days when receipts are attached. Economy class is the default for flights under six hours.', ['everyone']],
  ['salaries', 'Salary bands', 'The salary band for a senior engineer ranges from 90,000 to 120,000 euros per year.', ['group:hr']],
];

function chunkOf([id, title, text, access]: (typeof documents)[number]): Chunk {
  return { id: `${id}#0`, documentId: id, sourceId: 'handbook', ordinal: 0, title, uri: `https://intranet.corp.example.com/handbook/${id}`, headingPath: [title], location: {}, startOffset: 0, endOffset: text.length, text, tokenCount: 40, access, contentHash: id };
}

const ann = teamsUser('ann', 'Ann Lee', '0a1b2c3d-0000-4000-8000-0000000000a1');

describe('Teams surface over the real answer engine', () => {
  let directory: string;
  let index: ChunkIndex;
  let connector: BotFrameworkConnectorStandIn;
  let surface: TeamsSurface;
  let server: http.Server;
  let endpoint: string;

  beforeAll(async () => {
    directory = await mkdtemp(path.join(tmpdir(), 'docent-teams-'));
    const indexed = await hashingIndexOf(directory, documents.map(chunkOf));
    index = indexed.index;
    const engine = extractiveEngineOver(indexed);

    connector = await startBotFrameworkConnectorStandIn({ members: [{ ...ann }] });
    surface = createTeamsSurface({
      engine,
      config: teamsSchema.parse({ allowUnauthenticated: true }),
      resolvePrincipals: async (identity) => (identity.upn === ann.userPrincipalName ? ['group:hr'] : []),
    });
    server = http.createServer((request, response) => void surface.handleRequest(request, response));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  });

  afterAll(async () => {
    await surface.close();
    server.closeAllConnections();
    server.close();
    await connector.close();
    index.close();
    await rm(directory, { recursive: true, force: true });
  });

  async function answerCardFor(activity: { id: string }): Promise<{ texts: string[]; request: ConnectorRequest }> {
    const before = connector.requests.length;
    expect((await postActivity(endpoint, activity)).status).toBe(200);
    await surface.settled();
    const request = connector.requests.slice(before).filter((sent) => sent.body?.type === 'message').at(-1)!;
    const attachments = request.body?.attachments as Array<{ content: { body: Array<{ text: string }> } }>;
    return { texts: attachments[0]!.content.body.map((element) => element.text), request };
  }

  it('posts the extractive answer with its cited source as an Adaptive Card', async () => {
    const question = personalMessage(connector.serviceUrl, ann, 'How many days of annual leave does an employee get?');
    const { texts, request } = await answerCardFor(question);
    expect(request).toMatchObject({ operation: 'replyToActivity', activityId: question.id });
    expect(texts[0]).toContain('25 days of annual leave');
    expect(texts[0]).toMatch(/\[1\]/);
    expect(texts[1]).toBe(noModelNotice);
    expect(texts[2]).toBe('Sources');
    expect(texts[3]).toBe('1. [Annual leave policy](https://intranet.corp.example.com/handbook/leave)');
  });

  it('uses what the asker may read in a personal chat, and only public documents in a channel', async () => {
    const privately = await answerCardFor(personalMessage(connector.serviceUrl, ann, 'What is the salary band for a senior engineer?'));
    expect(privately.texts[0]).toContain('90,000 to 120,000 euros');

    const inChannel = await answerCardFor(channelMessage(connector.serviceUrl, ann, 'What is the salary band for a senior engineer?'));
    expect(inChannel.texts.join('\n')).not.toContain('90,000');
    expect(inChannel.texts.join('\n')).not.toContain('Salary bands');
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { noModelNotice, type DocentAnswerEngine } from '../../src/answer/answer-engine.js';
import type { Chunk } from '../../src/core/chunk.js';
import type { SlackSurface } from '../../src/chat/slack/slack-surface.js';
import type { ChunkIndex } from '../../indexes/chunk-index.js';
import { extractiveEngineOver, hashingIndexOf } from '../support/hashing-index.js';
import { slackTokens, slackUsers, startSlackSurfaceForTest, waitForFinishedReply } from '../support/slack-harness.js';
import { appMentionEvent, eventCallback, messageEvent, nextTs } from '../support/slack-payloads.js';
import { SlackStandIn } from '../support/slack-stand-in.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

/**
 * Slack in front of the real answer engine (extractive, over a real LanceDB index): the
 * answer Slack shows is the one the engine gives, and who asks, and where, decides which
 * documents it may use.
 */
const documents: Array<[id: string, title: string, text: string, access: string[]]> = [
  ['leave', 'Annual leave policy', 'Every employee receives 25 days of annual leave per calendar year. Leave is requested in the HR portal at least two weeks ahead.', ['everyone']],
  ['salaries', 'Salary bands 2026', 'The salary band for senior engineers starts at 95,000 euros per year. Salary bands are reviewed every April.', ['group:hr']],
];

function chunkOf([id, title, text, access]: (typeof documents)[number]): Chunk {
  return { id: `${id}#0`, documentId: id, sourceId: 'handbook', ordinal: 0, title, uri: `/handbook/${id}.md`, headingPath: [title], location: {}, startOffset: 0, endOffset: text.length, text, tokenCount: 40, access, contentHash: id };
}

describe('Slack surface with the real answer engine', () => {
  let standIn: SlackStandIn;
  let surface: SlackSurface;
  let index: ChunkIndex;
  let engine: DocentAnswerEngine;

  beforeAll(async () => {
    const indexed = await hashingIndexOf(await temporaryDirectory('docent-slack-grounded-'), documents.map(chunkOf));
    index = indexed.index;
    engine = extractiveEngineOver(indexed);
    standIn = await SlackStandIn.start({ botToken: slackTokens.botToken, appToken: slackTokens.appToken, users: slackUsers });
    ({ surface } = await startSlackSurfaceForTest({ standIn, engine, mode: 'socket', extra: { resolvePrincipals: async (identity) => (identity.userId === 'UANN' ? ['group:hr'] : []) } }));
  });

  afterAll(async () => {
    await surface?.stop();
    await standIn?.close();
    index?.close();
  });

  it('shows the engine\'s own answer, its notice and its numbered source', async () => {
    const question = 'How many days of annual leave does an employee get?';
    const direct = await engine.ask({ text: question, asker: { id: 'test', principals: ['everyone'] } });
    const ts = nextTs();
    await standIn.sendEnvelope('events_api', eventCallback(appMentionEvent({ user: 'UBOB', text: `<@UDOCENT> ${question}`, channel: 'CGENERAL', ts })));
    const final = (await waitForFinishedReply(standIn, 'CGENERAL', ts)).updates.at(-1)!;
    expect(direct.generator).toBe('extractive');
    expect(final.params.text).toBe(direct.text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
    expect(final.params.text).toContain('25 days of annual leave');
    expect(final.params.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: final.params.text } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: noModelNotice }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '*Sources*' }] },
      ...direct.citations.map((citation) => ({
        type: 'context',
        elements: [{ type: 'mrkdwn', text: `*[${citation.number}]* <https://docent.acme.example/files/${citation.documentId}|${citation.title}>${citation.locationLabel ? ` · ${citation.locationLabel}` : ''}\n${citation.excerpt}` }],
      })),
    ]);
    expect(direct.citations[0]!.documentId).toBe('leave');
  });

  it('uses documents only the asker may read in a direct message, and never in a channel', async () => {
    const question = 'What is the salary band for senior engineers?';
    await standIn.sendEnvelope('events_api', eventCallback(messageEvent({ user: 'UANN', text: question, channel: 'DANN', channelType: 'im' })));
    const privately = (await waitForFinishedReply(standIn, 'DANN', undefined)).updates.at(-1)!;
    expect(privately.params.text).toContain('95,000 euros');

    const ts = nextTs();
    await standIn.sendEnvelope('events_api', eventCallback(appMentionEvent({ user: 'UANN', text: `<@UDOCENT> ${question}`, channel: 'CGENERAL', ts })));
    const inChannel = (await waitForFinishedReply(standIn, 'CGENERAL', ts)).updates.at(-1)!;
    expect(inChannel.params.text).not.toContain('95,000');
    expect(JSON.stringify(inChannel.params.blocks)).not.toContain('Salary bands 2026');
  });
});

import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ChunkIndex } from '../../indexes/chunk-index.js';
import { parseDocument } from '../../src/pipeline/parse/parse-document.js';
import { syncConnector, type SyncOptions } from '../../src/pipeline/sync-connector.js';
import { ConfluenceStandIn } from '../../test/support/confluence-stand-in.js';
import { HashingEmbedder } from '../../test/support/hashing-embedder.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { confluenceConfigSchema } from './config.js';
import { ConfluenceConnector } from './confluence-connector.js';
import { seedSampleSite } from './fixtures/sample-site.js';

const token = 'pat-sync-test';
const closing: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const close of closing.splice(0)) await close();
});

/** The sample site synced by the real sync into a real LanceDB index, as a worker would run it. */
async function syncedSite() {
  const standIn = await ConfluenceStandIn.start({ token });
  closing.push(() => standIn.close());
  const site = await seedSampleSite(standIn);
  const index = await ChunkIndex.open(path.join(await temporaryDirectory('docent-confluence-sync-'), 'index'), { modelId: 'test-hashing-embedder', dimensions: 32 }, { create: true });
  closing.push(() => index.close());
  const options: SyncOptions = { index, embedder: new HashingEmbedder(), chunking: { maxTokens: 120, overlapTokens: 10 }, concurrency: 2, parse: (input) => parseDocument(input), search: { candidates: 10, fixedVectorWeight: 0.2 } };
  const connector = () =>
    new ConfluenceConnector(confluenceConfigSchema.parse({ baseUrl: standIn.url, spaces: ['ENG'] }), { name: 'wiki', env: { CONFLUENCE_TOKEN: token }, cacheDirectory: '/nonexistent', maxDocumentBytes: 1 << 20 });
  let checkpoint: SyncOptions['checkpoint'];
  const sync = async () => {
    const result = await syncConnector(connector(), { ...options, checkpoint });
    checkpoint = result.checkpoint;
    return result.report;
  };
  return { standIn, site, index, sync };
}

describe('Confluence connector through the sync', () => {
  it('indexes the site, then removes an attachment deleted from a page that did not change', async () => {
    const { standIn, site, index, sync } = await syncedSite();
    expect(await sync()).toMatchObject({ added: 5, failed: 0 });
    const guideId = `confluence:wiki:attachment/${site.guide.id}`;
    expect((await index.documents()).has(guideId)).toBe(true);

    standIn.trashAttachment(site.guide.id);
    const report = await sync();
    expect(report).toMatchObject({ deleted: 1, failed: 0 });
    expect((await index.documents()).has(guideId)).toBe(false);
  });

  it('answers only the readers a parent restriction leaves, after one sync and without re-embedding', async () => {
    const { standIn, site, index, sync } = await syncedSite();
    await sync();
    standIn.restrictPage(site.home.id, { groups: ['managers'] });
    const report = await sync();
    expect(report).toMatchObject({ metadataUpdated: 5, updated: 0, added: 0, failed: 0 });

    const asDana = await index.fulltextSearch('December freeze', { principals: ['user:dana', 'group:contractors', 'everyone'] }, 5);
    const asAnn = await index.fulltextSearch('December freeze', { principals: ['user:ann', 'group:staff', 'group:managers', 'everyone'] }, 5);
    expect(asDana).toEqual([]);
    expect(asAnn.map((hit) => hit.chunk.documentId)).toContain(`confluence:wiki:page/${site.runbook.id}`);
  });
});

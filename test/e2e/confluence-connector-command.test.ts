import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { seedSampleSite } from '../../connectors/confluence/fixtures/sample-site.js';
import { ConfluenceStandIn } from '../support/confluence-stand-in.js';
import { runCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

const token = 'pat-e2e-0123456789';
let standIn: ConfluenceStandIn | undefined;
afterAll(() => standIn?.close());

interface SearchHit {
  chunk: { documentId: string };
}

describe('a Confluence connector through the docent command', () => {
  it('is added, runs against the REST API, answers only permitted readers, and needs attention when its token is refused', async () => {
    standIn = await ConfluenceStandIn.start({ token });
    const site = await seedSampleSite(standIn);
    const root = await temporaryDirectory('docent-confluence-e2e-');
    const environment = { DOCENT_DATA_DIR: path.join(root, 'data'), WIKI_TOKEN: token };
    const docent = (...args: string[]) => runCli(args, environment);
    const runbookId = `confluence:wiki:page/${site.runbook.id}`;
    const search = async (...principals: string[]) =>
      JSON.parse((await docent('search', 'December freeze releases', '--mode', 'fulltext', '--as', ...principals, '--json')).stdout) as SearchHit[];

    const added = await docent('connectors', 'add', 'wiki', '--kind', 'confluence', '--set', `baseUrl=${standIn.url}`, '--set', 'spaces=["ENG"]', '--set', 'tokenEnv=WIKI_TOKEN', '--json');
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'wiki', kind: 'confluence', sourceId: 'confluence:wiki' });

    const first = await docent('connectors', 'run', 'wiki', '--json');
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout).report).toMatchObject({ added: 5, failed: 0 });
    expect((await search('user:dana')).map((hit) => hit.chunk.documentId)).toContain(runbookId);

    // A restriction on the parent page takes the runbook away from dana at the next run.
    standIn.restrictPage(site.home.id, { groups: ['managers'] });
    const second = await docent('connectors', 'run', 'wiki', '--json');
    expect(JSON.parse(second.stdout).report).toMatchObject({ metadataUpdated: 5, added: 0, updated: 0, failed: 0 });
    expect(await search('user:dana', 'group:contractors')).toEqual([]); // ann keeps it: see confluence-sync.test.ts

    const refused = await runCli(['connectors', 'run', 'wiki'], { ...environment, WIKI_TOKEN: 'pat-revoked' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Confluence rejected the access token .*\[credentials_rejected\]/);
    expect(refused.stderr).not.toContain('pat-revoked');
    const listed = JSON.parse((await docent('connectors', 'list', '--json')).stdout) as Array<{ name: string; state: string; location: string }>;
    expect(listed).toEqual([expect.objectContaining({ name: 'wiki', state: 'needs attention', location: standIn.url })]);
    // Each command starts a process (about 25 s on a loaded 2-core machine): the limit is generous, not a speed target.
  }, 600_000);
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createWebSiteFixture } from '../../connectors/web-site/fixtures/web-site-fixture.js';
import { runCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

interface Report {
  added: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
}

describe('a web-site connector through the docent command', () => {
  it('is added by kind, crawls a stand-in site into the index, and follows its changes and deletions', async () => {
    const fixture = await createWebSiteFixture();
    try {
      await fixture.add('leave.md', 'Annual leave is twenty five days per year.');
      await fixture.add('parking.md', 'Visitors park on level B2 and register at reception.');
      const root = await temporaryDirectory('docent-web-site-');
      const docent = (...args: string[]) => runCli(args, { DOCENT_DATA_DIR: path.join(root, 'data') });
      const settings = { sitemaps: [`${fixture.site.origin}/sitemap.xml`], sitemapsFromRobots: false, delayMilliseconds: 0, access: ['group:staff'] };

      const invalid = await docent('connectors', 'add', 'broken', '--kind', 'web-site', '--settings', JSON.stringify({ startUrls: ['ftp://files.example.com/'] }));
      expect(invalid.code).not.toBe(0);
      expect(invalid.stderr).toMatch(/invalid web-site settings: startUrls\.0: must be an absolute http/);

      const added = await docent('connectors', 'add', 'intranet', '--kind', 'web-site', '--settings', JSON.stringify(settings), '--json');
      expect(added.code, added.stderr).toBe(0);
      expect(JSON.parse(added.stdout)).toMatchObject({ name: 'intranet', kind: 'web-site', sourceId: 'web-site:intranet' });

      const first = await docent('connectors', 'run', 'intranet', '--json');
      expect(first.code, first.stderr).toBe(0);
      expect((JSON.parse(first.stdout) as { report: Report }).report).toMatchObject({ added: 2, failed: 0 });
      const hits = JSON.parse((await docent('search', 'annual leave days', '--mode', 'fulltext', '--as', 'group:staff', '--json')).stdout) as { chunk: { uri: string; sourceId: string } }[];
      expect(hits[0]?.chunk).toMatchObject({ uri: `${fixture.site.origin}/docs/leave`, sourceId: 'web-site:intranet' });

      await fixture.change('leave.md', 'Annual leave is thirty days per year.');
      await fixture.remove('parking.md');
      const second = await docent('connectors', 'run', 'intranet', '--json');
      expect(second.code, second.stderr).toBe(0);
      expect((JSON.parse(second.stdout) as { report: Report }).report).toMatchObject({ added: 0, updated: 1, deleted: 1, failed: 0 });
    } finally {
      await fixture.dispose?.();
    }
  }, 300_000);
});

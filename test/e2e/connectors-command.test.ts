import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loggedCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

interface Counts {
  seen: number;
  added: number;
  updated: number;
  metadataUpdated: number;
  unchanged: number;
  deleted: number;
  failed: number;
}

describe('docent connectors through the docent command', () => {
  it('adds a file share, runs it, applies permission changes and deletions, shows runs and failures, pauses, removes, and audits each admin action', async () => {
    const root = await temporaryDirectory('docent-connectors-');
    const share = path.join(root, 'share');
    await mkdir(path.join(share, 'hr'), { recursive: true });
    await writeFile(path.join(share, 'parking.md'), '# Parking\n\nVisitors park on level B2 and register at reception.\n');
    await writeFile(path.join(share, 'hr', 'salaries.md'), '# Salaries\n\nSalary bands are reviewed every March.\n');
    await writeFile(path.join(share, 'hr', 'leave.md'), '# Leave\n\nAnnual leave is 25 days per year.\n');
    await writeFile(path.join(share, 'empty.txt'), '');
    for (const name of ['parking.md', 'hr/salaries.md', 'hr/leave.md', 'empty.txt']) await chmod(path.join(share, name), 0o644);
    const environment = { DOCENT_DATA_DIR: path.join(root, 'data') };
    // Which commands ran and how long each took, shown only if the test fails (a hang names its step).
    const docent = loggedCli(environment);

    const added = await docent('connectors', 'add', 'handbook', '--kind', 'file-share', '--settings', JSON.stringify({ path: share, exclude: ['**/*.tmp'] }), '--set', 'maxFileBytes=100000', '--every', '15m', '--json');
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'handbook', kind: 'file-share', sourceId: 'file-share:handbook', schedule: { everySeconds: 900 }, paused: false });
    const invalid = await docent('connectors', 'add', 'broken', '--kind', 'file-share', '--set', 'path=/srv/x', '--set', 'permissions=sometimes');
    expect(invalid.code).not.toBe(0);
    expect(invalid.stderr).toMatch(/invalid file-share settings: permissions/);

    const first = await docent('connectors', 'run', 'handbook', '--json');
    expect(first.code, first.stderr).toBe(0);
    const firstRun = JSON.parse(first.stdout) as { run: { state: string }; report: Counts & { failures: { location: string; code: string }[] } };
    expect(firstRun.run.state).toBe('succeeded');
    expect(firstRun.report).toMatchObject({ added: 3, failed: 1 });
    expect(firstRun.report.failures[0]).toMatchObject({ code: 'file_empty' });

    // Salaries become readable by their owner and group only; parking is deleted.
    await chmod(path.join(share, 'hr', 'salaries.md'), 0o640);
    await rm(path.join(share, 'parking.md'));
    const second = JSON.parse((await docent('connectors', 'run', 'handbook', '--json')).stdout) as { report: Counts };
    expect(second.report).toMatchObject({ added: 0, updated: 0, metadataUpdated: 1, deleted: 1, unchanged: 1 });
    const search = JSON.parse((await docent('search', 'salary bands March', '--mode', 'fulltext', '--json')).stdout) as unknown[];
    expect(search).toEqual([]);

    const listed = JSON.parse((await docent('connectors', 'list', '--json')).stdout) as { name: string; state: string; nextRun: string; lastRun: { counts: Counts } }[];
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ name: 'handbook', state: 'ok', lastRun: { counts: { deleted: 1, metadataUpdated: 1 } } });
    expect(Date.parse(listed[0]!.nextRun)).toBeGreaterThan(Date.now());
    const shown = await docent('connectors', 'show', 'handbook');
    expect(shown.stdout).toMatch(/schedule: every 15m, next run/);
    expect(shown.stdout).toMatch(/failed .*empty\.txt: .* \[file_empty\]/);

    expect((await docent('connectors', 'pause', 'handbook')).code).toBe(0);
    const paused = JSON.parse((await docent('connectors', 'show', 'handbook', '--json')).stdout) as { paused: boolean; state: string; nextRun?: string };
    expect(paused).toMatchObject({ paused: true, state: 'paused' });
    expect(paused.nextRun).toBeUndefined();
    expect((await docent('connectors', 'resume', 'handbook')).code).toBe(0);

    // A share that went away: the run fails with the reason, exit code 1, nothing is deleted.
    await rm(share, { recursive: true });
    const failed = await docent('connectors', 'run', 'handbook');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/connector handbook failed: cannot read the folder .*share.* \[source_unreachable\]/);
    const status = JSON.parse((await docent('status', '--json')).stdout) as { index: { documents: number }; sources: { name: string; lastRun: { state: string } }[] };
    expect(status.index.documents).toBe(2);
    expect(status.sources[0]).toMatchObject({ name: 'handbook', lastRun: { state: 'failed' } });

    const removed = JSON.parse((await docent('connectors', 'remove', 'handbook', '--json')).stdout) as { documentsDeleted: number };
    expect(removed.documentsDeleted).toBe(2);
    expect((await docent('connectors', 'show', 'handbook')).stderr).toMatch(/no connector named "handbook"/);

    const audit = JSON.parse((await docent('audit', 'search', '--type', 'admin', '--json')).stdout) as { records: { action: string; details: { name: string } }[] };
    // Runs an admin asked for are recorded too; the last one failed as a whole (the share was gone).
    expect(audit.records.map((record) => record.action)).toEqual(['connector.add', 'connector.run', 'connector.run', 'connector.pause', 'connector.resume', 'connector.run', 'connector.run.failed', 'connector.remove']);
    expect(audit.records.every((record) => record.details.name === 'handbook')).toBe(true);
  }, 600_000);
});

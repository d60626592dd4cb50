import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loggedCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

describe('an emptied or unmounted file share through the docent command', () => {
  it('fails the run instead of deleting what was indexed, keeps it searchable, and deletes only once the admin allows an empty share', async () => {
    const root = await temporaryDirectory('docent-empty-share-');
    const share = path.join(root, 'share');
    await mkdir(path.join(share, 'hr'), { recursive: true });
    await writeFile(path.join(share, 'parking.md'), '# Parking\n\nVisitors park on level B2 and register at reception.\n');
    await writeFile(path.join(share, 'hr', 'leave.md'), '# Leave\n\nAnnual leave is 25 days per year.\n');
    for (const name of ['parking.md', 'hr/leave.md']) await chmod(path.join(share, name), 0o644);
    const environment = { DOCENT_DATA_DIR: path.join(root, 'data') };
    const docent = loggedCli(environment);
    const searchParking = async () => (JSON.parse((await docent('search', 'visitors park', '--mode', 'fulltext', '--json')).stdout) as { chunk: { documentId: string } }[]).map((hit) => hit.chunk.documentId);

    expect((await docent('connectors', 'add', 'hr', '--kind', 'file-share', '--set', `path=${share}`, '--set', 'permissions=everyone')).code).toBe(0);
    const first = await docent('connectors', 'run', 'hr');
    expect(first.code, first.stderr).toBe(0);

    // What an unmounted mount point looks like: the folder is there, with nothing in it.
    await rm(path.join(share, 'parking.md'));
    await rm(path.join(share, 'hr'), { recursive: true });
    const refused = await docent('connectors', 'run', 'hr');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/connector hr failed: file-share:hr is empty but 2 documents were indexed from it; nothing was deleted\. Is the share mounted.*allowEmpty.* \[source_unreachable\]/);
    expect(await searchParking()).toEqual(['file-share:hr:parking.md']);

    expect((await docent('connectors', 'set', 'hr', '--set', 'allowEmpty=true')).code).toBe(0);
    const confirmed = await docent('connectors', 'run', 'hr', '--json');
    expect(confirmed.code, confirmed.stderr).toBe(0);
    expect(JSON.parse(confirmed.stdout)).toMatchObject({ run: { state: 'succeeded' }, report: { deleted: 2 } });
    expect(await searchParking()).toEqual([]);
  }, 600_000);
});

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TestRepository } from '../../connectors/git/fixtures/test-repository.js';
import { runCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

interface RunOutput {
  run: { state: string };
  report: { added: number; updated: number; deleted: number; failed: number; failures: Array<{ code: string }> };
}

describe('a Git connector through the docent command', () => {
  it('adds a repository by URL, indexes it, follows a commit (change and deletion), and refuses a token inside the URL', async () => {
    const root = await temporaryDirectory('docent-git-e2e-');
    const repository = await TestRepository.create(root, path.join(root, 'home'));
    await repository.write('docs/leave.md', '# Leave\n\nAnnual leave is twenty five days per year.\n');
    await repository.write('docs/parking.md', '# Parking\n\nVisitors park on level B2.\n');
    await repository.write('src/app.ts', 'export const parking = "B2";\n');
    await repository.commit('Handbook');
    const docent = (...args: string[]) => runCli(args, { DOCENT_DATA_DIR: path.join(root, 'data') });

    const added = await docent('connectors', 'add', 'handbook', '--kind', 'git', '--set', `repository=${repository.serverUrl}`, '--json');
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ name: 'handbook', kind: 'git', sourceId: 'git:handbook' });

    const first = JSON.parse((await docent('connectors', 'run', 'handbook', '--json')).stdout) as RunOutput;
    expect(first.run.state).toBe('succeeded');
    expect(first.report).toMatchObject({ added: 2, failed: 0 });

    await repository.write('docs/leave.md', '# Leave\n\nAnnual leave is thirty days per year, from January.\n');
    await repository.remove('docs/parking.md');
    await repository.commit('Leave changes, parking goes');
    const second = JSON.parse((await docent('connectors', 'run', 'handbook', '--json')).stdout) as RunOutput;
    expect(second.report).toMatchObject({ added: 0, updated: 1, deleted: 1, failed: 0 });
    const hits = JSON.parse((await docent('search', 'thirty days January', '--mode', 'fulltext', '--json')).stdout) as Array<{ documentId?: string; uri?: string }>;
    expect(JSON.stringify(hits)).toContain('docs/leave.md');
    expect(JSON.parse((await docent('search', 'visitors park', '--mode', 'fulltext', '--json')).stdout)).toEqual([]);

    // Removal takes the connector's mirror with it: added again under the same name, it starts from a fresh clone and a full load.
    const cache = path.join(root, 'data', 'connectors', 'handbook');
    expect((await readdir(cache)).some((name) => name.startsWith('git-'))).toBe(true);
    const removed = await docent('connectors', 'remove', 'handbook', '--json');
    expect(removed.code, removed.stderr).toBe(0);
    expect(JSON.parse(removed.stdout)).toMatchObject({ documentsDeleted: 1 });
    await expect(readdir(cache)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await docent('connectors', 'add', 'handbook', '--kind', 'git', '--set', `repository=${repository.serverUrl}`)).code).toBe(0);
    const again = JSON.parse((await docent('connectors', 'run', 'handbook', '--json')).stdout) as RunOutput;
    expect(again).toMatchObject({ run: { state: 'succeeded' }, report: { added: 1, updated: 0, deleted: 0, failed: 0 } });

    const refused = await docent('connectors', 'add', 'leaky', '--kind', 'git', '--set', 'repository=https://ann:s3cret@git.corp/team/handbook.git');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/invalid git settings: repository: .*must not contain a password or token/);
  }, 600_000);
});

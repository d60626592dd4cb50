import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loggedCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

describe('a damaged audit log through the docent command', () => {
  it('stops only what must be recorded: index, search, status and connectors list go on, ask and connectors add refuse naming the problem', async () => {
    const root = await temporaryDirectory('docent-damaged-audit-');
    const folder = path.join(root, 'docs');
    await mkdir(folder);
    await writeFile(path.join(folder, 'parking.md'), '# Parking\n\nVisitors park on level B2 and register at reception.\n');
    const dataDirectory = path.join(root, 'data');
    const environment = { DOCENT_DATA_DIR: dataDirectory };
    const docent = loggedCli(environment);

    expect((await docent('index', folder)).code).toBe(0);
    expect((await docent('ask', 'Where do visitors park?')).code).toBe(0);
    // The last record cut short but ending in a newline: no crash mid-write that opening may repair, a damaged record.
    const segments = path.join(dataDirectory, 'audit', 'segments');
    const [segment] = (await readdir(segments)).sort().reverse();
    const file = path.join(segments, segment!);
    const text = await readFile(file, 'utf8');
    await writeFile(file, `${text.slice(0, text.length - 30)}\n`);

    await writeFile(path.join(folder, 'leave.md'), '# Leave\n\nAnnual leave is 25 days per year.\n');
    const indexed = await docent('index', folder);
    expect(indexed.code, indexed.stderr).toBe(0);
    const search = await docent('search', 'annual leave', '--mode', 'fulltext', '--json');
    expect(search.code, search.stderr).toBe(0);
    expect((JSON.parse(search.stdout) as { chunk: { uri: string } }[])[0]?.chunk.uri).toContain('leave.md');
    const status = await docent('status', '--json');
    expect(status.code, status.stderr).toBe(0);
    expect((JSON.parse(status.stdout) as { index: { documents: number } }).index.documents).toBe(2);

    const asked = await docent('ask', 'How many days of annual leave?');
    expect(asked.code).not.toBe(0);
    expect(asked.stdout).toBe('');
    expect(asked.stderr).toMatch(new RegExp(`cannot answer without recording the answer: the last record of the audit log \\(${segment}, byte \\d+\\) .*docent audit verify`));

    const added = await docent('connectors', 'add', 'wiki', '--kind', 'file-share', '--set', `path=${folder}`);
    expect(added.code).not.toBe(0);
    expect(added.stderr).toMatch(/the last record of the audit log .*docent audit verify/);
    const listed = await docent('connectors', 'list', '--json');
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { name: string }[]).map((connector) => connector.name)).not.toContain('wiki');
    // Nothing was written to the damaged log meanwhile: its damage is evidence for `docent audit verify`.
    expect(await readFile(file, 'utf8')).toBe(`${text.slice(0, text.length - 30)}\n`);
  }, 600_000);
});

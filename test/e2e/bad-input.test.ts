import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeEncryptedPdf, makePdf } from '../fixtures/documents.js';
import { projectRoot, runCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';
import { docentCommand } from '../support/cli-entry.js';

interface Report {
  seen: number;
  added: number;
  failed: number;
  failures: { location: string; code: string; message: string }[];
  index: { documents: number; chunks: number };
}

describe('bad input through the docent command', () => {
  it('skips each bad file with one clear line, indexes everything else, and shows the failures in status', async () => {
    const root = await temporaryDirectory('docent-bad-input-');
    const folder = path.join(root, 'documents');
    await mkdir(folder);
    await writeFile(path.join(folder, 'good.md'), '# Parking\n\nVisitors park on level B2 and register at reception.\n');
    await writeFile(path.join(folder, 'also-good.txt'), 'The cafeteria opens at 7:30 and closes at 19:00.\n');
    await writeFile(path.join(folder, 'empty.txt'), '');
    const pdf = await makePdf({ title: 'Report', pages: [['A page of text that is long enough to matter.']] });
    await writeFile(path.join(folder, 'truncated.pdf'), pdf.slice(0, Math.floor(pdf.length / 3)));
    await writeFile(path.join(folder, 'locked.pdf'), makeEncryptedPdf({ text: 'Secret salaries' }));
    await writeFile(path.join(folder, 'binary.txt'), randomBytes(4096));
    await writeFile(path.join(folder, 'huge.md'), `# Big\n\n${'word '.repeat(60_000)}`);
    const environment = { DOCENT_DATA_DIR: path.join(root, 'data'), DOCENT_INGEST_MAX_FILE_BYTES: String(100_000) };

    const result = await runCli(['index', folder, '--json'], environment);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as Report;
    expect(report.added).toBe(2);
    expect(report.index.documents).toBe(2);
    const byFile = Object.fromEntries(report.failures.map((failure) => [path.basename(failure.location), failure]));
    expect(Object.keys(byFile).sort()).toEqual(['binary.txt', 'empty.txt', 'huge.md', 'locked.pdf', 'truncated.pdf']);
    expect(byFile['empty.txt']!.code).toBe('file_empty');
    expect(byFile['truncated.pdf']!.code).toBe('file_corrupt');
    expect(byFile['locked.pdf']!.code).toBe('file_encrypted');
    expect(byFile['binary.txt']!.code).toBe('binary_content');
    expect(byFile['huge.md']).toMatchObject({ code: 'file_too_large', message: expect.stringMatching(/file is 293 KB, over the 98 KB limit \(setting ingest\.maxFileBytes, or DOCENT_INGEST_MAX_FILE_BYTES\)/) });
    for (const failure of report.failures) expect(failure.message).not.toMatch(/\n|at .*\.ts:\d+/);

    const text = await runCli(['index', folder], environment);
    expect(text.stdout.split('\n').filter((line) => line.trim().startsWith('skipped '))).toHaveLength(5);
    const status = await runCli(['status'], environment);
    expect(status.stdout).toMatch(/documents: 2 .*failures: 5/);
    expect(status.stdout).toMatch(/failed .*locked\.pdf: .* \[file_encrypted\]/);
  }, 180_000);

  it('loses nothing and duplicates nothing when an indexing process is killed and run again', async () => {
    const root = await temporaryDirectory('docent-crash-');
    const folder = path.join(root, 'documents');
    await mkdir(folder);
    for (let number = 0; number < 60; number++) {
      const paragraphs = Array.from({ length: 6 }, (_, paragraph) => `Rule ${number}.${paragraph}: requests about topic ${number} are answered by team ${paragraph} within ${number + paragraph} days.`);
      await writeFile(path.join(folder, `policy-${number}.md`), `# Policy ${number}\n\n${paragraphs.join('\n\n')}\n`);
    }
    const crashed = { DOCENT_DATA_DIR: path.join(root, 'crashed') };
    // Killed at an arbitrary moment: whatever was written must be whole, the rest redone.
    const child = spawn(process.execPath, [...docentCommand(), 'index', folder], { cwd: projectRoot, env: { ...process.env, ...crashed }, stdio: 'ignore' });
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    let exited = false;
    void closed.then(() => (exited = true));
    // Killed as soon as the first chunks are committed, so the run is cut in the middle.
    const dataFiles = path.join(crashed.DOCENT_DATA_DIR, 'index', 'chunks.lance', 'data');
    while (!exited && !(existsSync(dataFiles) && readdirSync(dataFiles).length > 0)) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exited, 'indexing finished before it could be killed').toBe(false);
    child.kill('SIGKILL');
    await closed;

    const resumed = JSON.parse((await runCli(['index', folder, '--json'], crashed)).stdout) as Report & { unchanged: number };
    expect(resumed.failed).toBe(0);
    expect(resumed.added + resumed.unchanged).toBe(60);
    const clean = JSON.parse((await runCli(['index', folder, '--json'], { DOCENT_DATA_DIR: path.join(root, 'clean') })).stdout) as Report;
    expect({ documents: resumed.index.documents, chunks: resumed.index.chunks }).toEqual({ documents: clean.index.documents, chunks: clean.index.chunks });
  }, 240_000);
});

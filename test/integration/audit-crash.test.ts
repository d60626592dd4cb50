import { spawn } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { readRecords } from '../../src/audit/record-reader.js';
import { listSegments } from '../../src/audit/segment-files.js';
import { verifyLog } from '../../src/audit/verify-log.js';
import { projectRoot } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

/** Starts the append loop, waits until it has committed records, kills it with SIGKILL; returns the highest sequence it confirmed. */
function appendThenKill(directory: string, runMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'test', 'support', 'audit-append-loop.ts'), directory], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let confirmed = 0;
    let output = '';
    let errors = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (data: Buffer) => {
      output += data.toString();
      const lines = output.split('\n');
      output = lines.pop() ?? '';
      for (const line of lines) {
        const match = /^committed (\d+)$/.exec(line);
        if (match) confirmed = Math.max(confirmed, Number(match[1]));
        if (line === 'ready' || match) timer ??= setTimeout(() => child.kill('SIGKILL'), runMs);
      }
    });
    child.stderr.on('data', (data: Buffer) => (errors += data.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL') resolve(confirmed);
      else reject(new Error(`the append loop exited with ${code ?? signal} before it was killed:\n${errors}`));
    });
  });
}

async function records(directory: string): Promise<AuditRecord[]> {
  const all: AuditRecord[] = [];
  for await (const { record } of readRecords(directory)) all.push(record);
  return all;
}

describe('audit log after kill -9', () => {
  it('keeps every confirmed record, repairs an incomplete last line on open, and still verifies', async () => {
    const directory = path.join(await temporaryDirectory('docent-audit-crash-'), 'audit');
    let confirmed = 0;
    for (const runMs of [300, 150, 450]) {
      confirmed = await appendThenKill(directory, runMs);
      expect(confirmed).toBeGreaterThan(0);
      // Whatever the kill left: the committed part verifies; at most a torn last line remains, reported, not accepted.
      const afterKill = await verifyLog(directory);
      expect(afterKill.ok, afterKill.problem?.message).toBe(true);
      expect(afterKill.lastSequence).toBeGreaterThanOrEqual(confirmed);
      for (const warning of afterKill.warnings) expect(warning).toMatch(/an incomplete last line/);
    }

    // A kill in the middle of a write leaves half a line: simulate the worst case explicitly.
    const { segments } = await listSegments(directory);
    const half = '{"answer":"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx';
    await appendFile(segments.at(-1)!.path, half);
    expect((await verifyLog(directory)).warnings).toEqual([expect.stringContaining(`an incomplete last line (${half.length} bytes)`)]);

    const log = await AuditLog.open({ directory });
    await log.close();
    const all = await records(directory);
    const repairs = all.filter((record) => record.type === 'repair');
    expect(repairs.at(-1)).toMatchObject({ type: 'repair', removedBytes: half.length, file: segments.at(-1)!.name });
    expect(all.filter((record) => record.type === 'answer').length).toBeGreaterThanOrEqual(confirmed - repairs.length);
    expect(all.map((record) => record.sequence)).toEqual(all.map((_, index) => index + 1));
    const report = await verifyLog(directory);
    expect(report).toMatchObject({ ok: true, warnings: [] });
    expect(report.lastSequence).toBe(all.length);
  }, 60_000);
});

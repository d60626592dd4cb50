import { cp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.js';
import { canonicalJson } from '../../src/audit/canonical-json.js';
import { sha256Hex } from '../../src/audit/record-chain.js';
import { verifyLog, type VerifyReport } from '../../src/audit/verify-log.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

/**
 * Tampers with the audit log's files the way someone with write access to the disk
 * could, and checks that `verify` finds each change and names the first bad record by
 * sequence number, file and line.
 */

const files = ['000000000001-2026-11-25.jsonl', '000000000011-2026-11-25.jsonl', '000000000021-2026-11-25.jsonl'];
let pristine: string;
let root: string;

beforeAll(async () => {
  root = await temporaryDirectory('docent-audit-tampering-');
  pristine = path.join(root, 'pristine');
  const log = await AuditLog.open({ directory: pristine, segmentRecords: 10, now: () => new Date('2026-11-25T10:00:00.000Z') });
  for (let number = 1; number <= 30; number++) {
    await log.append({
      type: 'answer',
      platform: 'web',
      visibility: 'private',
      asker: { id: `user-${number}`, principals: ['everyone'] },
      question: `question ${number}`,
      retrieved: [],
      cited: [],
      generator: 'extractive',
      answer: `answer ${number}`,
      notFound: false,
      latencyMs: number,
      redactions: [],
    });
  }
  await log.close();
});

let copies = 0;
/** A fresh copy of the untouched log to tamper with. */
async function copyOfLog(): Promise<string> {
  const directory = path.join(root, `copy-${++copies}`);
  await cp(pristine, directory, { recursive: true });
  return directory;
}

function segment(directory: string, index: number): string {
  return path.join(directory, 'segments', files[index]!);
}

async function editLines(file: string, edit: (lines: string[]) => string[]): Promise<void> {
  const lines = (await readFile(file, 'utf8')).split('\n').slice(0, -1);
  await writeFile(file, edit(lines).map((line) => `${line}\n`).join(''));
}

/** Re-seals a changed record so that it matches its own hash, as a careful forger would. */
function reseal(record: Record<string, unknown>): string {
  const { hash: _hash, ...body } = record;
  const text = canonicalJson(body);
  return `${text.slice(0, -1)},"hash":"${sha256Hex(text)}"}`;
}

function expectProblem(report: VerifyReport, expected: { sequence: number; file: string; line?: number; message: RegExp }): void {
  expect(report.ok).toBe(false);
  expect(report.problem).toMatchObject({ sequence: expected.sequence, file: expected.file, ...(expected.line ? { line: expected.line } : {}) });
  expect(report.problem!.message).toMatch(expected.message);
}

describe('audit verify on a tampered log', () => {
  it('passes the untouched log', async () => {
    expect(await verifyLog(pristine)).toMatchObject({ ok: true, records: 30, files: 3, firstSequence: 1, lastSequence: 30, warnings: [] });
  });

  it('names an edited record', async () => {
    const directory = await copyOfLog();
    await editLines(segment(directory, 1), (lines) => lines.map((line, index) => (index === 4 ? line.replace('answer 15', 'answer 16') : line)));
    expectProblem(await verifyLog(directory), { sequence: 15, file: files[1]!, line: 5, message: /record 15 .* was changed after it was written/ });
  });

  it('names a record edited and re-hashed, at the link it breaks', async () => {
    const directory = await copyOfLog();
    await editLines(segment(directory, 1), (lines) => lines.map((line, index) => (index === 4 ? reseal({ ...JSON.parse(line), answer: 'a different answer' }) : line)));
    expectProblem(await verifyLog(directory), { sequence: 16, file: files[1]!, line: 6, message: /record 16 .* does not follow record 15 \(000000000011-2026-11-25\.jsonl line 5\)/ });
  });

  it('names the record after a removed one', async () => {
    const directory = await copyOfLog();
    await editLines(segment(directory, 1), (lines) => lines.filter((_, index) => index !== 4));
    expectProblem(await verifyLog(directory), { sequence: 16, file: files[1]!, line: 5, message: /comes after record 14: record 15 is missing/ });
  });

  it('names the first record out of order when two are swapped', async () => {
    const directory = await copyOfLog();
    await editLines(segment(directory, 1), (lines) => [...lines.slice(0, 4), lines[5]!, lines[4]!, ...lines.slice(6)]);
    expectProblem(await verifyLog(directory), { sequence: 16, file: files[1]!, line: 5, message: /record 15 is missing here \(removed, or moved elsewhere\)/ });
  });

  it('names a copied record inserted into the log', async () => {
    const directory = await copyOfLog();
    const copied = (await readFile(segment(directory, 0), 'utf8')).split('\n')[2]!;
    await editLines(segment(directory, 1), (lines) => [...lines.slice(0, 5), copied, ...lines.slice(5)]);
    expectProblem(await verifyLog(directory), { sequence: 3, file: files[1]!, line: 6, message: /record 3 .* is out of place: record 16 was expected/ });
  });

  it('finds a forged record that carries the right sequence number and hashes, at the record it displaced', async () => {
    const directory = await copyOfLog();
    await editLines(segment(directory, 1), (lines) => {
      const previous = JSON.parse(lines[3]!) as { hash: string };
      const original = JSON.parse(lines[4]!) as Record<string, unknown>;
      const forged = reseal({ ...original, id: 'forged', answer: 'forged answer', previousHash: previous.hash });
      return [...lines.slice(0, 4), forged, ...lines.slice(4)];
    });
    expectProblem(await verifyLog(directory), { sequence: 15, file: files[1]!, line: 6, message: /record 15 .* is out of place: record 16 was expected/ });
  });

  it('names the gap when a whole file in the middle is removed', async () => {
    const directory = await copyOfLog();
    await rm(segment(directory, 1));
    expectProblem(await verifyLog(directory), { sequence: 21, file: files[2]!, line: 1, message: /records 11 to 20 are missing/ });
  });

  it('names the new first record when the oldest file is removed without retention', async () => {
    const directory = await copyOfLog();
    await rm(segment(directory, 0));
    expectProblem(await verifyLog(directory), { sequence: 11, file: files[1]!, line: 1, message: /no retention removed records 1 to 10/ });
  });

  it('notices records cut from the end, which no hash chain can show by itself', async () => {
    const directory = await copyOfLog();
    await editLines(segment(directory, 2), (lines) => lines.slice(0, -2));
    expectProblem(await verifyLog(directory), { sequence: 29, file: files[2]!, line: 9, message: /the log ends at record 28, but record 30 was written \(head\.json\): records 29 to 30 are missing from the end/ });
  });

  it('notices the last record rewritten with a new hash', async () => {
    const directory = await copyOfLog();
    await editLines(segment(directory, 2), (lines) => [...lines.slice(0, -1), reseal({ ...JSON.parse(lines.at(-1)!), answer: 'rewritten' })]);
    expectProblem(await verifyLog(directory), { sequence: 30, file: 'head.json', message: /record 30 is not the record that was written/ });
  });

  it('notices a renamed file', async () => {
    const directory = await copyOfLog();
    await rename(segment(directory, 2), path.join(directory, 'segments', '000000000022-2026-11-25.jsonl'));
    expectProblem(await verifyLog(directory), { sequence: 21, file: '000000000022-2026-11-25.jsonl', line: 1, message: /files were renamed/ });
  });

  it('names a line that is no longer JSON', async () => {
    const directory = await copyOfLog();
    await editLines(segment(directory, 0), (lines) => lines.map((line, index) => (index === 6 ? line.slice(0, 40) : line)));
    expectProblem(await verifyLog(directory), { sequence: 7, file: files[0]!, line: 7, message: /record 7 .* is not valid JSON/ });
  });

  it('reports an incomplete last line as a crash to repair, not as tampering', async () => {
    const directory = await copyOfLog();
    await writeFile(segment(directory, 2), `${await readFile(segment(directory, 2), 'utf8')}{"answer":"half`);
    const report = await verifyLog(directory);
    expect(report).toMatchObject({ ok: true, records: 30 });
    expect(report.warnings).toEqual([expect.stringMatching(/000000000021-2026-11-25\.jsonl line 11: an incomplete last line \(15 bytes\)/)]);
  });
});

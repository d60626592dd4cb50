import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../src/audit/audit-log.js';
import type { AnswerContent, AuditRecord } from '../../src/audit/audit-record.js';
import { checkLine } from '../../src/audit/record-chain.js';
import { runCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

const dayMs = 24 * 60 * 60 * 1000;

function answer(overrides: Partial<AnswerContent>): AnswerContent {
  return {
    type: 'answer',
    platform: 'slack',
    channelId: 'C-HR',
    visibility: 'shared',
    asker: { id: 'U-KIM', principals: ['user:u-kim', 'group:hr'] },
    question: 'How many days of annual leave do I get?',
    query: 'How many days of annual leave do I get?',
    retrieved: [{ chunkId: 'file:///handbook/leave.md#0', documentId: 'file:///handbook/leave.md', contentHash: 'c'.repeat(64), score: 0.8 }],
    cited: [{ number: 1, chunkId: 'file:///handbook/leave.md#0', documentId: 'file:///handbook/leave.md', contentHash: 'c'.repeat(64), title: 'Leave', uri: 'file:///handbook/leave.md' }],
    generator: 'extractive',
    answer: 'Full-time employees get 15 days of annual leave [1].',
    notFound: false,
    latencyMs: 35,
    redactions: [],
    ...overrides,
  };
}

function day(offset: number): string {
  return new Date(Date.now() - offset * dayMs).toISOString().slice(0, 10);
}

describe('docent audit, through the real command', () => {
  let root: string;
  let environment: Record<string, string>;
  let auditDirectory: string;
  const written: AuditRecord[] = [];

  beforeAll(async () => {
    root = await temporaryDirectory('docent-audit-e2e-');
    environment = { DOCENT_DATA_DIR: path.join(root, 'data') };
    auditDirectory = path.join(root, 'data', 'audit');
    // Answers from ten, nine and one day ago, as `docent serve` would have recorded them.
    let now = new Date();
    const log = await AuditLog.open({ directory: auditDirectory, now: () => now });
    now = new Date(Date.now() - 10 * dayMs);
    written.push(await log.append(answer({})));
    written.push(await log.append(answer({ asker: { id: 'U-LEE', principals: ['user:u-lee'] }, channelId: 'C-IT', question: 'How do I reset my VPN password?', answer: 'Use the self-service portal [1].', cited: [], retrieved: [{ chunkId: 'file:///it/vpn.md#3', documentId: 'file:///it/vpn.md', contentHash: 'd'.repeat(64), score: 0.7 }] })));
    now = new Date(Date.now() - 9 * dayMs);
    written.push(await log.append({ type: 'feedback', answerId: written[0]!.id, asker: { id: 'U-KIM', principals: ['user:u-kim'] }, rating: 'up', redactions: [] }));
    now = new Date(Date.now() - 1 * dayMs);
    written.push(await log.append(answer({ question: '연차 휴가는 며칠인가요?', answer: '연차는 15일입니다 [1].', platform: 'web', channelId: 'session-1', visibility: 'private' })));
    await log.close();
  });

  it('verifies an untouched log', async () => {
    const result = await runCli(['audit', 'verify'], environment);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^ok: 4 records in 3 files verify \\(records 1 to 4\\); last hash ${written[3]!.hash}`));
    const json = await runCli(['audit', 'verify', '--json'], environment);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, records: 4, lastHash: written[3]!.hash });
  }, 60_000);

  it('searches by user, channel, document, text and time', async () => {
    const search = async (...args: string[]): Promise<number[]> => {
      const result = await runCli(['audit', 'search', ...args, '--json'], environment);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { records: AuditRecord[] }).records.map((record) => record.sequence);
    };
    expect(await search('--user', 'u-kim')).toEqual([1, 3, 4]);
    expect(await search('--user', 'group:hr', '--type', 'answer')).toEqual([1, 4]);
    expect(await search('--channel', 'C-IT')).toEqual([2]);
    expect(await search('--document', 'vpn.md')).toEqual([2]);
    expect(await search('--text', '연차')).toEqual([4]);
    expect(await search('--from', day(9), '--to', day(1))).toEqual([3, 4]);

    const table = await runCli(['audit', 'search', '--user', 'U-LEE'], environment);
    expect(table.stdout).toMatch(/#\s+time \(UTC\)\s+type\s+user\s+where\s+what/);
    expect(table.stdout).toMatch(/2 .* answer +U-LEE +slack C-IT +How do I reset my VPN password\? → Use the self-service portal/);
    expect(table.stdout).toMatch(/1 matching record;/);

    const wrong = await runCli(['audit', 'search', '--from', 'yesterday'], environment);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--from yesterday: expected a date \(2026-11-25\) or a date and time/);
  }, 120_000);

  it('exports CSV to a file and JSON Lines to standard output, and records each export', async () => {
    const output = path.join(root, 'exports', 'audit.csv');
    await mkdir(path.dirname(output), { recursive: true });
    const csv = await runCli(['audit', 'export', '--from', day(11), '--to', day(0), '--format', 'csv', '--output', output], environment);
    expect(csv.code, csv.stderr).toBe(0);
    expect(csv.stderr).toMatch(/exported 4 records to .*audit\.csv \(sha256 [0-9a-f]{64}\); the export is recorded/);
    const content = await readFile(output);
    const rows = content.toString('utf8').split('\r\n').filter(Boolean);
    expect(rows[0]!.startsWith('\uFEFFsequence,id,time,type,')).toBe(true);
    expect(rows).toHaveLength(5);
    expect(rows[4]).toContain('연차 휴가는 며칠인가요?');

    const jsonl = await runCli(['audit', 'export', '--from', day(10), '--to', day(10), '--format', 'jsonl', '--user', 'U-LEE'], environment);
    expect(jsonl.code, jsonl.stderr).toBe(0);
    const lines = jsonl.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(checkLine(Buffer.from(lines[0]!))).toMatchObject({ ok: true, record: { sequence: 2 } });

    const exports = await runCli(['audit', 'search', '--type', 'admin', '--text', 'audit.export', '--json'], environment);
    const recorded = (JSON.parse(exports.stdout) as { records: (AuditRecord & { action: string; details: Record<string, unknown> })[] }).records;
    expect(recorded).toHaveLength(2);
    expect(recorded[0]).toMatchObject({ action: 'audit.export', actor: expect.stringMatching(/^cli:/), details: { format: 'csv', destination: output, records: 4, sha256: createHash('sha256').update(content).digest('hex') } });
    expect(recorded[1]).toMatchObject({ details: { format: 'jsonl', destination: 'standard output', filter: { user: 'U-LEE' } } });
    expect((await runCli(['audit', 'verify'], environment)).code).toBe(0);
  }, 120_000);

  it('keeps a record under legal hold through retention, and still verifies afterwards', async () => {
    const held = written[1]!;
    const hold = await runCli(['audit', 'hold', held.id, '--reason', 'matter 2026-17'], environment);
    expect(hold.code, hold.stderr).toBe(0);
    expect(hold.stdout).toMatch(new RegExp(`record ${held.id} is under legal hold`));

    const dryRun = await runCli(['audit', 'retention', '--older-than', '5', '--dry-run', '--json'], environment);
    expect(JSON.parse(dryRun.stdout)).toMatchObject({ dryRun: true, removedRecords: 3, keptHeld: 1 });

    const retention = await runCli(['audit', 'retention', '--older-than', '5'], environment);
    expect(retention.code, retention.stderr).toBe(0);
    expect(retention.stdout).toMatch(/removed 2 records \(1 to 3\) in 2 files written before .*; 1 kept under legal hold/);

    const remaining = await runCli(['audit', 'search', '--json', '--limit', '100'], environment);
    const records = (JSON.parse(remaining.stdout) as { records: AuditRecord[] }).records;
    expect(records.map((record) => record.type)).toEqual(['answer', 'answer', 'admin', 'admin', 'admin', 'retention']);
    expect(records[0]!.id).toBe(held.id);
    const verify = await runCli(['audit', 'verify'], environment);
    expect(verify.code, verify.stdout).toBe(0);
    expect(verify.stdout).toMatch(/^ok: 6 records in 3 files verify \(records 4 to 8\)/);

    const release = await runCli(['audit', 'release', held.id, '--reason', 'matter closed'], environment);
    expect(release.code, release.stderr).toBe(0);
    const again = await runCli(['audit', 'release', held.id], environment);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/is not under legal hold/);
    const unknown = await runCli(['audit', 'hold', 'no-such-id', '--reason', 'x'], environment);
    expect(unknown.stderr).toMatch(/no record with id no-such-id is in the audit log/);
  }, 120_000);

  it('exits with code 2 and names the first bad record when the log was tampered with', async () => {
    const segments = path.join(auditDirectory, 'segments');
    const file = path.join(segments, (await import('node:fs/promises').then((fs) => fs.readdir(segments))).sort()[0]!);
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('15일', '20일'));
    const result = await runCli(['audit', 'verify'], environment);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^TAMPERED: record 4 \(.*\.jsonl line 1\) was changed after it was written/);
    expect(result.stdout).toMatch(/first bad record: 4, 0+4-.*\.jsonl line 1/);
    const json = await runCli(['audit', 'verify', '--json'], environment);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problem: { sequence: 4, line: 1 } });
    await writeFile(file, original);
    expect((await runCli(['audit', 'verify'], environment)).code).toBe(0);
  }, 60_000);
});

describe('docent ask leaves an audit record', () => {
  it('records the question, the passages and the answer, and verify passes', async () => {
    const root = await temporaryDirectory('docent-audit-ask-');
    const folder = path.join(root, 'documents');
    await mkdir(folder);
    await writeFile(path.join(folder, 'parking.md'), '# Parking\n\nVisitors park on level B2 and register at reception before 18:00.\n');
    await writeFile(path.join(folder, 'cafeteria.md'), '# Cafeteria\n\nThe cafeteria opens at 7:30 and closes at 19:00 on weekdays.\n');
    const environment = { DOCENT_DATA_DIR: path.join(root, 'data') };
    expect((await runCli(['index', folder], environment)).code).toBe(0);

    const ask = await runCli(['ask', 'Where do visitors park? Call me on 010-1234-5678', '--json'], environment);
    expect(ask.code, ask.stderr).toBe(0);
    const shown = JSON.parse(ask.stdout) as { id: string; citations: unknown[] };
    expect(shown.id).toMatch(/^[0-9a-f-]{36}$/);

    const search = await runCli(['audit', 'search', '--type', 'answer', '--json'], environment);
    const [record] = (JSON.parse(search.stdout) as { records: (AuditRecord & AnswerContent)[] }).records;
    expect(record).toMatchObject({
      id: shown.id,
      sequence: 1,
      asker: { id: expect.stringMatching(/^cli:/), principals: ['everyone'] },
      question: 'Where do visitors park? Call me on [redacted:phone]',
      generator: 'extractive',
      redactions: [
        { field: 'question', kind: 'phone', count: 1 },
        { field: 'query', kind: 'phone', count: 1 },
      ],
    });
    expect(record!.retrieved.length).toBeGreaterThan(0);
    expect(record!.retrieved[0]).toMatchObject({ documentId: expect.stringContaining('parking.md'), contentHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(record!.cited.length).toBe(shown.citations.length);
    expect((await runCli(['audit', 'verify'], environment)).code).toBe(0);
  }, 180_000);
});

import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable } from '../src/admin/terminal.js';
import { answerRecordContent } from '../src/audit/answer-record.js';
import { AuditLog } from '../src/audit/audit-log.js';
import { redactionKinds, type AuditContent } from '../src/audit/audit-record.js';
import { readStoredLines } from '../src/audit/read-lines.js';
import { listSegments } from '../src/audit/segment-files.js';
import { verifyLog } from '../src/audit/verify-log.js';
import type { Answer } from '../src/core/answer.js';
import type { Question } from '../src/core/answer-engine.js';
import { seededRandom } from '../src/core/seeded-random.js';

/**
 * `npm run bench:audit [-- --records N --plain-records N --block N --concurrency C]`:
 * appends N realistic audit records durably (each append resolves only once its record
 * is fsynced) with C askers at once (group commit), verifies the whole log and reads it
 * back with JSON.parse alone; then compares, on the first `plain-records` of those
 * serialized lines, the limit (a plain file with write + fsync per record) with the
 * audit log for one asker at a time and for C at once, in alternating blocks so that all
 * three meet the same disk. Fsync per record is too slow on a shared disk for a million
 * (20 to 40 minutes here), hence the subset.
 */
const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    'plain-records': { type: 'string', default: '20000' },
    block: { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '64' },
    directory: { type: 'string', default: path.join(tmpdir(), `docent-bench-audit-${process.pid}`) },
  },
});
const records = Number(values.records);
const plainRecords = Math.min(Number(values['plain-records']), records);
const blockSize = Number(values.block);
const concurrency = Number(values.concurrency);
const workDirectory = values.directory;

const words = ['expense', 'report', 'deadline', 'annual', 'leave', 'VPN', 'password', 'reset', 'travel', 'policy', 'parental', 'benefits', 'onboarding', 'laptop', 'security', 'badge'];
const koreanWords = ['연차', '휴가', '경비', '보고서', '출장', '비밀번호', '재설정', '복지', '보안', '입사'];
const folders = ['policies', 'it-guides', 'handbook', 'benefits', 'finance'];

/** A realistic answer record: the same builder the audited engine uses, redaction included. */
function realisticContent(random: () => number, number: number): AuditContent {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const sentence = (length: number): string => Array.from({ length }, () => (random() < 0.2 ? pick(koreanWords) : pick(words))).join(' ');
  const hex = (): string => Array.from({ length: 64 }, () => '0123456789abcdef'[Math.floor(random() * 16)]).join('');
  const documents = Array.from({ length: 8 }, () => `file:///srv/shared/${pick(folders)}/${pick(words).toLowerCase()}-${pick(words).toLowerCase()}.md`);
  const retrieved = documents.map((documentId, rank) => ({ chunkId: `${documentId}#${Math.floor(random() * 40)}`, documentId, contentHash: hex(), modifiedAt: '2026-10-02T08:15:00.000Z', score: Math.round((1 - rank * 0.1) * 1000) / 1000 }));
  const cited = retrieved.slice(0, 1 + Math.floor(random() * 3));
  const question: Question = {
    text: `${sentence(6 + Math.floor(random() * 10))}?${random() < 0.05 ? ' mail me at kim.minji@example.com' : ''}`,
    asker: { id: `U${100_000 + (number % 5000)}`, principals: [`user:u${100_000 + (number % 5000)}`, `group:${pick(folders)}`, 'group:all-staff'] },
    conversation: { platform: pick(['slack', 'teams', 'web']), channelId: `C${1000 + (number % 300)}`, visibility: random() < 0.7 ? 'private' : 'shared' },
  };
  const text = Array.from({ length: 3 + Math.floor(random() * 4) }, (_, index) => `${sentence(14 + Math.floor(random() * 12))} [${(index % cited.length) + 1}].`).join(' ');
  const answer: Answer = {
    question: question.text,
    notFound: false,
    text,
    sentences: [],
    citations: cited.map((passage, index) => ({ number: index + 1, documentId: passage.documentId, chunkId: passage.chunkId, title: path.basename(passage.documentId, '.md'), uri: passage.documentId, location: {}, headingPath: [], locationLabel: '', excerpt: '' })),
    generator: 'qwen2.5-3b-instruct-q4_k_m',
    query: question.text,
    generation: { promptTokens: 1800, answerTokens: 120, timeToFirstTokenMs: 400, promptVersion: 'grounded-answer/1' },
    retrieved,
    elapsedMs: 900 + Math.floor(random() * 4000),
  };
  return answerRecordContent(question, answer, answer.elapsedMs + 3, redactionKinds);
}

// A pool of distinct records, generated before timing: the benchmark measures the log, not the generator.
const random = seededRandom(20261125);
const pool = Array.from({ length: 2000 }, (_, index) => realisticContent(random, index));

interface Row {
  label: string;
  records: number;
  seconds: number;
  fsyncs?: number;
  bytes?: number;
  /** Which rows ran at the same time, block by block, and so may be compared. */
  group: string;
}
const rows: Row[] = [];
const elapsedSeconds = (start: number): number => (performance.now() - start) / 1000;

/** Appends `count` records with `appenders` askers waiting for their own appends, as chat surfaces do. */
async function appendRecords(log: AuditLog, count: number, appenders: number, offset = 0): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(appenders, count) }, async () => {
      while (next < count) {
        const number = offset + next++;
        await log.append(pool[number % pool.length]!);
        if (number % 100_000 === 99_999) console.error(`  ${number + 1} records`);
      }
    }),
  );
}

async function directoryBytes(directory: string): Promise<number> {
  const { segments } = await listSegments(directory);
  let total = 0;
  for (const segment of segments) total += (await stat(segment.path)).size;
  return total;
}

/** Reads every stored line of the log as a plain JSON Lines reader would: the floor under verify. */
async function readAndParse(directory: string): Promise<number> {
  let count = 0;
  for (const segment of (await listSegments(directory)).segments) {
    for await (const { bytes, complete } of readStoredLines(segment.path)) {
      if (!complete) continue;
      JSON.parse(bytes.toString('utf8'));
      count++;
    }
  }
  return count;
}

async function firstLines(directory: string, count: number): Promise<Buffer[]> {
  const lines: Buffer[] = [];
  for (const segment of (await listSegments(directory)).segments) {
    for await (const { bytes, complete } of readStoredLines(segment.path)) {
      if (complete) lines.push(Buffer.concat([bytes, Buffer.from('\n')]));
      if (lines.length >= count) return lines;
    }
  }
  return lines;
}

/**
 * Fsync speed on a shared disk swings tenfold within minutes, so the plain file and the
 * audit log are compared in alternating blocks of records: each gets the same disk
 * weather. The plain file writes the audit log's own serialized lines, through
 * synchronous calls (no thread-pool hop): the limit for one durable record at a time.
 */
async function interleaved(lines: Buffer[], directory: string, blockSize: number): Promise<Row[]> {
  const single = await AuditLog.open({ directory: path.join(directory, 'one-asker') });
  const many = await AuditLog.open({ directory: path.join(directory, 'many-askers') });
  const plainFile = path.join(directory, 'plain.jsonl');
  const descriptor = openSync(plainFile, 'w');
  const seconds = { plain: 0, single: 0, many: 0 };
  let plainBytes = 0;
  try {
    for (let offset = 0; offset < lines.length; offset += blockSize) {
      const block = lines.slice(offset, offset + blockSize);
      const runs: [keyof typeof seconds, () => Promise<void>][] = [
        [
          'plain',
          async () => {
            for (const line of block) {
              writeSync(descriptor, line);
              fsyncSync(descriptor);
              plainBytes += line.length;
            }
          },
        ],
        ['single', () => appendRecords(single, block.length, 1, offset)],
        ['many', () => appendRecords(many, block.length, concurrency, offset)],
      ];
      // Each round starts with the next contestant, so that none always follows the same one.
      const round = offset / blockSize;
      for (let index = 0; index < runs.length; index++) {
        const [name, run] = runs[(round + index) % runs.length]!;
        const start = performance.now();
        await run();
        seconds[name] += elapsedSeconds(start);
      }
      if ((offset / blockSize) % 10 === 9) console.error(`  ${offset + block.length} records each`);
    }
  } finally {
    closeSync(descriptor);
  }
  const group = `alternating blocks of ${blockSize}`;
  const result: Row[] = [
    { label: 'plain file, write + fsync per record (the limit)', records: lines.length, seconds: seconds.plain, fsyncs: lines.length, bytes: plainBytes, group },
    { label: 'audit log, 1 asker at a time', records: lines.length, seconds: seconds.single, fsyncs: single.statistics.commits, bytes: await directoryBytes(single.paths.directory), group },
    { label: `audit log, ${concurrency} askers at once (group commit)`, records: lines.length, seconds: seconds.many, fsyncs: many.statistics.commits, bytes: await directoryBytes(many.paths.directory), group },
  ];
  await Promise.all([single.close(), many.close()]);
  return result;
}

await rm(workDirectory, { recursive: true, force: true });
await mkdir(workDirectory, { recursive: true });
try {
  const fullDirectory = path.join(workDirectory, 'full');
  const full = `full run, ${records.toLocaleString('en-US')} records`;
  console.error(`audit log: ${records} records, ${concurrency} askers at once`);
  const log = await AuditLog.open({ directory: fullDirectory });
  let start = performance.now();
  await appendRecords(log, records, concurrency);
  const appendSeconds = elapsedSeconds(start);
  const { commits } = log.statistics;
  await log.close();
  rows.push({ label: `audit log, ${concurrency} askers at once (group commit)`, records, seconds: appendSeconds, fsyncs: commits, bytes: await directoryBytes(fullDirectory), group: full });

  console.error(`audit log: verify`);
  start = performance.now();
  const report = await verifyLog(fullDirectory);
  if (!report.ok) throw new Error(`the benchmark's log does not verify: ${report.problem?.message}`);
  rows.push({ label: 'audit log, verify (hashes, chain, head)', records: report.records, seconds: elapsedSeconds(start), group: full });

  console.error('the same files, read + JSON.parse per line');
  start = performance.now();
  const parsed = await readAndParse(fullDirectory);
  rows.push({ label: 'the same lines, read + JSON.parse only', records: parsed, seconds: elapsedSeconds(start), group: full });

  console.error(`plain file against audit log: ${plainRecords} records each, alternating blocks of ${blockSize}`);
  const lines = await firstLines(fullDirectory, plainRecords);
  await rm(fullDirectory, { recursive: true });
  rows.push(...(await interleaved(lines, path.join(workDirectory, 'interleaved'), blockSize)));
} finally {
  await rm(workDirectory, { recursive: true, force: true });
}

const plain = rows.find((row) => row.label.startsWith('plain file, write'));
const plainRate = plain ? plain.records / plain.seconds : undefined;
const table = rows.map((row) => {
  const rate = row.records / row.seconds;
  const appending = row.fsyncs !== undefined;
  return [
    row.group,
    row.label,
    row.records.toLocaleString('en-US'),
    row.seconds.toFixed(1),
    Math.round(rate).toLocaleString('en-US'),
    row.fsyncs !== undefined ? row.fsyncs.toLocaleString('en-US') : '',
    row.bytes !== undefined ? Math.round(row.bytes / row.records).toLocaleString('en-US') : '',
    appending && plainRate && row.group === plain?.group ? `${(rate / plainRate).toFixed(2)}x` : '',
  ];
});
console.log(formatTable(['phase', 'run', 'records', 'seconds', 'records/s', 'fsyncs', 'bytes/record', 'vs plain file'], table));
console.log(`\n${pool.length} distinct realistic answer records (8 retrieved and 1-3 cited passages, redaction on), cycled; Node ${process.version}.`);

import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as lancedb from '@lancedb/lancedb';
import { Redis } from 'ioredis';
import { ChunkIndex } from '../indexes/chunk-index.js';
import { readManifest } from '../indexes/index-manifest.js';
import { formatTable } from '../src/admin/terminal.js';
import { loadConfig } from '../src/config/load.js';
import { seededRandom } from '../src/core/seeded-random.js';
import { BullmqJobRunner } from '../src/jobs/bullmq-runner.js';
import { jobRunnerSettings } from '../src/jobs/job-runner.js';
import type { SyncRunReport } from '../src/jobs/sync-stages.js';
import { ConnectorStore } from '../src/pipeline/connector-store.js';
import { indexDirectoryOf } from '../src/runtime/runtime.js';

/**
 * `npm run bench:sync [-- --documents N]`: a generated file share of N small Markdown and
 * text documents (10,000 by default) synced through BullMQ by one `docent worker`, then
 * by two, each on a fresh index: first sync, re-sync of the unchanged share, a change of
 * 1% of the documents, and the time from deleting a document to its absence from search.
 * Also how the documents split between the workers, the CPU each used, and a check that
 * every document was indexed exactly once. Needs Redis (REDIS_URL, else 127.0.0.1:6379).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argument = (name: string): string | undefined => {
  const position = process.argv.indexOf(`--${name}`);
  return position >= 0 ? process.argv[position + 1] : undefined;
};
const documentCount = Number(argument('documents') ?? 10_000);
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const workDirectory = path.join(tmpdir(), `docent-bench-sync-${process.pid}`);
const share = path.join(workDirectory, 'share');
const clockTicksPerSecond = 100;

const subjects = ['expense', 'leave', 'laptop', 'travel', 'payroll', 'security', 'benefits', 'onboarding', 'badge', 'printer', 'vpn', 'parking'];
const verbs = ['submit', 'approve', 'request', 'renew', 'report', 'review', 'update', 'cancel'];
const objects = ['the form', 'a ticket', 'the manager', 'the portal', 'a receipt', 'the policy', 'the desk', 'the calendar'];

/** A short document with a unique word (`marker<number>x`) by which search can find exactly it. */
function documentText(number: number, random: () => number, revision = 0): string {
  const pick = <T>(list: T[]): T => list[Math.floor(random() * list.length)]!;
  const subject = pick(subjects);
  const sentences = Array.from({ length: 3 + Math.floor(random() * 4) }, () => `Employees ${pick(verbs)} ${pick(objects)} for ${subject} within ${1 + Math.floor(random() * 30)} days.`);
  const body = `${sentences.join(' ')} Reference marker${number}x.${revision > 0 ? ` Revised ${revision}: ${pick(verbs)} ${pick(objects)} again.` : ''}`;
  return number % 2 === 0 ? `# ${subject} note ${number}\n\n${body}\n` : `${subject} note ${number}\n${body}\n`;
}

function fileName(number: number): string {
  return path.join(`team-${number % 20}`, number % 2 === 0 ? `note-${number}.md` : `note-${number}.txt`);
}

function writeShare(): void {
  const random = seededRandom(42);
  for (let number = 1; number <= documentCount; number++) {
    const file = path.join(share, fileName(number));
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, documentText(number, random));
  }
}

interface Worker {
  process: ChildProcess;
  exited: Promise<void>;
  output: string[];
}

function startWorker(environment: Record<string, string>): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'cli.ts'), 'worker'], { cwd: root, env: { ...process.env, ...environment }, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    const onData = (data: Buffer): void => {
      output.push(data.toString());
      if (output.join('').includes('ready: Redis')) resolve({ process: child, exited, output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => reject(new Error(`docent worker exited before it was ready:\n${output.join('')}`)));
  });
}

/** User plus system CPU seconds the process has used so far, all its threads included. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / clockTicksPerSecond;
}

async function chunkCensus(dataDirectory: string): Promise<{ documents: number; duplicates: number }> {
  const connection = await lancedb.connect(path.join(dataDirectory, 'index'));
  const table = await connection.openTable('chunks');
  const ids = new Set<string>();
  const documents = new Set<string>();
  let duplicates = 0;
  for await (const batch of table.query().select(['id', 'document_id'])) {
    const id = batch.getChild('id')!;
    const document = batch.getChild('document_id')!;
    for (let row = 0; row < batch.numRows; row++) {
      if (ids.has(String(id.get(row)))) duplicates++;
      ids.add(String(id.get(row)));
      documents.add(String(document.get(row)));
    }
  }
  table.close();
  connection.close();
  return { documents: documents.size, duplicates };
}

interface ModeResult {
  first: number;
  resync: number;
  change: number;
  changed: number;
  deletion: number;
  split: string;
  cpu: string;
  exactlyOnce: string;
  failed: number;
}

async function runMode(workerCount: number): Promise<ModeResult> {
  const dataDirectory = path.join(workDirectory, `data-${workerCount}`);
  const store = ConnectorStore.in(dataDirectory);
  await store.add({ name: 'share', kind: 'file-share', sourceId: 'file-share:share', config: { path: share, permissions: 'everyone' } });
  const prefix = `docent-bench-${process.pid}-${workerCount}`;
  const environment: Record<string, string> = {
    DOCENT_DATA_DIR: dataDirectory,
    REDIS_URL: redisUrl,
    DOCENT_JOBS_QUEUE_PREFIX: prefix,
    // The machine's cores shared out: one worker gets them all, two get half each.
    DOCENT_EMBEDDING_THREADS: String(Math.max(1, Math.floor(2 / workerCount))),
    DOCENT_RETRIEVAL_VECTOR_WEIGHT: '0.2',
  };
  const configFile = path.join(workDirectory, 'docent.yaml');
  writeFileSync(configFile, '');
  const config = loadConfig({ file: configFile, environment: { ...environment } });
  const producer = await BullmqJobRunner.connect({ redisUrl, prefix, settings: jobRunnerSettings(config.jobs) });
  const workers = await Promise.all(Array.from({ length: workerCount }, () => startWorker(environment)));
  const cpuAtStart = workers.map((worker) => cpuSeconds(worker.process.pid!));
  const sync = async (): Promise<{ seconds: number; report: SyncRunReport }> => {
    const start = performance.now();
    const report = await producer.waitForRun((await producer.enqueueSync('share', 'manual')).runId);
    return { seconds: (performance.now() - start) / 1000, report };
  };
  try {
    console.error(`${workerCount} worker(s): first sync of ${documentCount} documents`);
    const first = await sync();
    const cpu = workers.map((worker, position) => cpuSeconds(worker.process.pid!) - cpuAtStart[position]!);
    const census = await chunkCensus(dataDirectory);
    const perWorker = Object.values(first.report.workers);
    const total = perWorker.reduce((sum, count) => sum + count, 0);

    console.error(`${workerCount} worker(s): re-sync of the unchanged share`);
    const resync = await sync();

    const changed = Math.max(1, Math.round(documentCount / 100));
    for (let step = 0; step < changed; step++) {
      const number = 1 + Math.floor((step * documentCount) / changed);
      appendFileSync(path.join(share, fileName(number)), ` Changed in run ${workerCount}.\n`);
    }
    console.error(`${workerCount} worker(s): ${changed} documents changed`);
    const change = await sync();

    const victim = documentCount;
    const manifest = await readManifest(indexDirectoryOf(config));
    const index = await ChunkIndex.open(indexDirectoryOf(config), manifest!.embedding, { create: false, readConsistencySeconds: 0 });
    const present = async (): Promise<boolean> => (await index.fulltextSearch(`marker${victim}x`, { principals: ['everyone'] }, 5)).some((hit) => hit.chunk.documentId.endsWith(path.basename(fileName(victim))));
    if (!(await present())) throw new Error(`document ${victim} is not found by search before its deletion`);
    console.error(`${workerCount} worker(s): deleting one document`);
    const deletedAt = performance.now();
    unlinkSync(path.join(share, fileName(victim)));
    await producer.enqueueSync('share', 'manual').then(({ runId }) => producer.waitForRun(runId));
    while (await present()) await new Promise((resolve) => setTimeout(resolve, 20));
    const deletion = (performance.now() - deletedAt) / 1000;
    index.close();
    writeFileSync(path.join(share, fileName(victim)), documentText(victim, seededRandom(victim)));

    return {
      first: first.seconds,
      resync: resync.seconds,
      change: change.seconds,
      changed,
      deletion,
      split: perWorker.map((count) => `${((100 * count) / total).toFixed(1)}%`).join(' / '),
      cpu: cpu.map((seconds) => `${seconds.toFixed(0)} s`).join(' / '),
      exactlyOnce: census.duplicates === 0 && census.documents === documentCount && total === documentCount ? 'yes' : `no (${census.documents} documents, ${census.duplicates} duplicate chunks, ${total} batch results)`,
      failed: first.report.failed,
    };
  } finally {
    for (const worker of workers) worker.process.kill('SIGTERM');
    await Promise.all(workers.map((worker) => worker.exited));
    await producer.close(0);
    await removeKeys(prefix);
  }
}

/** The bench's queues leave nothing behind in a Redis that others use. */
async function removeKeys(prefix: string): Promise<void> {
  const client = new Redis(redisUrl);
  try {
    let cursor = '0';
    do {
      const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length > 0) await client.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    client.disconnect();
  }
}

process.env.LANCEDB_LOG ??= 'error';
rmSync(workDirectory, { recursive: true, force: true });
try {
  console.error(`writing ${documentCount} documents to ${share}`);
  writeShare();
  const one = await runMode(1);
  const two = await runMode(2);
  const rows: (string | number)[][] = [
    [`first sync of ${documentCount} documents (s)`, one.first.toFixed(1), two.first.toFixed(1)],
    ['documents per second, first sync', (documentCount / one.first).toFixed(1), (documentCount / two.first).toFixed(1)],
    ['re-sync, share unchanged (s)', one.resync.toFixed(2), two.resync.toFixed(2)],
    [`change of 1% (${one.changed} documents) (s)`, one.change.toFixed(2), two.change.toFixed(2)],
    ['delete a document → gone from search (s)', one.deletion.toFixed(2), two.deletion.toFixed(2)],
    ['documents per worker, first sync', one.split, two.split],
    ['CPU per worker, first sync', one.cpu, two.cpu],
    ['each document indexed exactly once', one.exactlyOnce, two.exactlyOnce],
    ['documents failed', one.failed, two.failed],
  ];
  console.log(formatTable(['', '1 worker', '2 workers'], rows));
} finally {
  rmSync(workDirectory, { recursive: true, force: true });
}

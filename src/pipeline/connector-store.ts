import { randomUUID } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { Checkpoint } from '../core/connector.js';
import { DocentError, describeError } from '../core/errors.js';
import { writeFileAtomically } from '../core/write-file-atomically.js';
import { countsOf, maxStoredFailures, maxStoredRuns, type AttentionNeeded, type ConnectorRecord, type ConnectorRun, type ConnectorSettings, type RunTrigger } from './connector-record.js';
import type { ConnectorSchedule } from './connector-schedule.js';
import { processExists, withFileLock } from './file-lock.js';
import type { IndexReport } from './index-documents.js';

/** Connector names: what admins type, and safe in file names and job ids. */
const namePattern = /^[a-z0-9][a-z0-9._-]{0,62}$/;

const storedSchema = z.object({ version: z.literal(1), connectors: z.array(z.looseObject({ name: z.string(), kind: z.string(), sourceId: z.string(), runs: z.array(z.unknown()) })) });

/** The file `docent index` used before connectors existed, absorbed on first use. */
interface LegacySourceRecord {
  sourceId: string;
  kind: 'folder';
  location: string;
  lastRun?: IndexReport;
}

export interface NewConnector {
  name: string;
  kind: string;
  sourceId: string;
  config: Record<string, unknown>;
  schedule?: ConnectorSchedule | undefined;
  paused?: boolean;
}

/** How a run ended, as `finishRun` records it. */
export interface RunOutcome {
  state: 'succeeded' | 'failed' | 'interrupted';
  report?: IndexReport;
  error?: { code: string; message: string; retryable: boolean };
  /** Saved only with `succeeded`: an interrupted or failed run must not move the bookmark past what it did not index. */
  checkpoint?: Checkpoint | undefined;
  /** Set: mark the connector as needing an admin; null: clear the mark; undefined: leave it. */
  needsAttention?: AttentionNeeded | null;
}

export function validateConnectorName(name: string): string {
  if (!namePattern.test(name)) {
    throw new DocentError('invalid_request', `"${name}" is not a valid connector name: use lower-case letters, digits, '-', '_' and '.', starting with a letter or digit (at most 63)`);
  }
  return name;
}

/** A name for the connector `docent index <folder>` creates: the folder's name, made unique. */
export function folderConnectorName(folder: string, taken: ReadonlySet<string>): string {
  const base = path.basename(path.resolve(folder)).toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+|-+$/g, '').slice(0, 50) || 'folder';
  if (!taken.has(base)) return base;
  for (let number = 2; ; number++) if (!taken.has(`${base}-${number}`)) return `${base}-${number}`;
}

/** `<dataDir>/connectors/<name>`: where a connector keeps caches between runs (a Git mirror). */
export function connectorCacheDirectory(dataDirectory: string, name: string): string {
  validateConnectorName(name);
  return path.join(dataDirectory, 'connectors', name);
}

/**
 * The configured connectors, their checkpoints and run history: one JSON file in the
 * data directory (`state/connectors.json`). Every change is a read-modify-write under a
 * lock file, written atomically (temporary file and rename), so several processes on one
 * machine (the CLI, `docent serve`, workers) never lose each other's changes and a reader
 * never sees half a file. Reads take no lock.
 */
export class ConnectorStore {
  readonly file: string;
  private readonly legacyFile: string;

  constructor(readonly dataDirectory: string) {
    this.file = path.join(dataDirectory, 'state', 'connectors.json');
    this.legacyFile = path.join(dataDirectory, 'state', 'sources.json');
  }

  static in(dataDirectory: string): ConnectorStore {
    return new ConnectorStore(path.resolve(dataDirectory));
  }

  /** The folder a connector keeps caches in between runs (a Git mirror): `<dataDir>/connectors/<name>`, removed with the connector. */
  cacheDirectoryOf(name: string): string {
    return connectorCacheDirectory(this.dataDirectory, name);
  }

  /** The lock file held while the connector runs (one run at a time across processes), and that removing it waits for. */
  runLockFile(name: string): string {
    return path.join(path.dirname(this.file), 'runs', `${name}.lock`);
  }

  async list(): Promise<ConnectorRecord[]> {
    const stored = await this.read();
    if (stored) return stored;
    // Before the first change the old folder list is read as it is, so read-only commands need no lock.
    return this.absorbLegacy([]);
  }

  async get(name: string): Promise<ConnectorRecord | undefined> {
    return (await this.list()).find((record) => record.name === name);
  }

  /** The connector, or a `connector_not_found` error that lists the known names. */
  async require(name: string): Promise<ConnectorRecord> {
    const connectors = await this.list();
    const found = connectors.find((record) => record.name === name);
    if (found) return found;
    const known = connectors.map((record) => record.name);
    throw new DocentError('connector_not_found', `no connector named "${name}"${known.length > 0 ? ` (known: ${known.join(', ')})` : '; add one with `docent connectors add`'}`);
  }

  async findBySourceId(sourceId: string): Promise<ConnectorRecord | undefined> {
    return (await this.list()).find((record) => record.sourceId === sourceId);
  }

  async add(connector: NewConnector): Promise<ConnectorRecord> {
    validateConnectorName(connector.name);
    return this.change((records) => {
      if (records.some((record) => record.name === connector.name)) throw new DocentError('invalid_request', `a connector named "${connector.name}" exists already`);
      const sameSource = records.find((record) => record.sourceId === connector.sourceId);
      if (sameSource) throw new DocentError('invalid_request', `connector "${sameSource.name}" already indexes ${connector.sourceId}`);
      const now = new Date().toISOString();
      const record: ConnectorRecord = { name: connector.name, kind: connector.kind, sourceId: connector.sourceId, config: connector.config, paused: connector.paused ?? false, createdAt: now, updatedAt: now, runs: [] };
      if (connector.schedule) record.schedule = connector.schedule;
      records.push(record);
      return record;
    });
  }

  /** Changes settings; `schedule: null` removes the schedule. */
  async configure(name: string, change: { config?: Record<string, unknown>; schedule?: ConnectorSchedule | null; paused?: boolean }): Promise<ConnectorRecord> {
    return this.changeOne(name, (record) => {
      if (change.config) record.config = change.config;
      if (change.schedule === null) delete record.schedule;
      else if (change.schedule) record.schedule = change.schedule;
      if (change.paused !== undefined) record.paused = change.paused;
      record.updatedAt = new Date().toISOString();
    });
  }

  /** Forgets a connector, its checkpoint and its runs; undefined when there was none. */
  async remove(name: string): Promise<ConnectorRecord | undefined> {
    return this.change((records) => {
      const position = records.findIndex((record) => record.name === name);
      return position < 0 ? undefined : records.splice(position, 1)[0];
    });
  }

  /** Drops every checkpoint, so the next runs load everything (after the index was rebuilt). */
  async clearCheckpoints(): Promise<void> {
    await this.change((records) => {
      for (const record of records) delete record.checkpoint;
    });
  }

  /**
   * Records that a run started. Runs left `running` by a process of this machine that no
   * longer exists (killed, crashed) are marked interrupted on the way.
   */
  async startRun(name: string, trigger: RunTrigger, runId: string = randomUUID()): Promise<ConnectorRun> {
    let run: ConnectorRun | undefined;
    await this.changeOne(name, (record) => {
      const now = new Date().toISOString();
      for (const earlier of record.runs) {
        if (earlier.state === 'running' && earlier.runner.host === hostname() && !processExists(earlier.runner.pid)) {
          earlier.state = 'interrupted';
          earlier.finishedAt = now;
          earlier.error = { code: 'internal', message: `the process that ran it (${earlier.runner.pid}) stopped before it finished`, retryable: true };
        }
      }
      run = { id: runId, trigger, startedAt: now, state: 'running', failures: [], runner: { pid: process.pid, host: hostname() } };
      record.runs = [run, ...record.runs.filter((existing) => existing.id !== runId)].slice(0, maxStoredRuns);
    });
    return run!;
  }

  /** Records how a run ended, its counts and failures, and on success the checkpoint. */
  async finishRun(name: string, runId: string, outcome: RunOutcome): Promise<ConnectorRecord> {
    return this.changeOne(name, (record) => {
      let run = record.runs.find((existing) => existing.id === runId);
      if (!run) {
        // Its start fell out of the bounded history meanwhile (many short runs): recorded anew.
        run = { id: runId, trigger: 'manual', startedAt: outcome.report?.startedAt ?? new Date().toISOString(), state: 'running', failures: [], runner: { pid: process.pid, host: hostname() } };
        record.runs = [run, ...record.runs].slice(0, maxStoredRuns);
      }
      run.state = outcome.state;
      run.finishedAt = new Date().toISOString();
      if (outcome.report) {
        run.counts = countsOf(outcome.report);
        run.failures = outcome.report.failures.slice(0, maxStoredFailures);
        const omitted = outcome.report.failures.length - run.failures.length;
        if (omitted > 0) run.failuresOmitted = omitted;
      }
      if (outcome.error) run.error = outcome.error;
      if (outcome.state === 'succeeded' && outcome.checkpoint !== undefined) record.checkpoint = outcome.checkpoint;
      if (outcome.needsAttention === null) delete record.needsAttention;
      else if (outcome.needsAttention) record.needsAttention = outcome.needsAttention;
    });
  }

  private async read(): Promise<ConnectorRecord[] | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.unreadable(error);
    }
    try {
      return storedSchema.parse(JSON.parse(text)).connectors as unknown as ConnectorRecord[];
    } catch (error) {
      throw this.unreadable(error);
    }
  }

  private async changeOne(name: string, mutate: (record: ConnectorRecord) => void): Promise<ConnectorRecord> {
    return this.change((records) => {
      const record = records.find((existing) => existing.name === name);
      if (!record) throw new DocentError('connector_not_found', `no connector named "${name}"`);
      mutate(record);
      return record;
    });
  }

  /** Read, change and write under the lock; what `mutate` returns is returned. */
  private async change<T>(mutate: (records: ConnectorRecord[]) => T): Promise<T> {
    const busy = (holder: string): DocentError => new DocentError('state_unavailable', `the connector state ${this.file} stayed locked by ${holder}; if no Docent process is running, remove ${this.file}.lock`);
    return withFileLock(`${this.file}.lock`, { waitMs: 30_000, busy }, async () => {
      const stored = await this.read();
      const records = stored ?? (await this.absorbLegacy([]));
      const result = mutate(records);
      records.sort((a, b) => a.name.localeCompare(b.name));
      await writeFileAtomically(this.file, `${JSON.stringify({ version: 1, connectors: records }, null, 2)}\n`);
      // Once its folders live here, the old file would only mislead.
      if (!stored) await unlink(this.legacyFile).catch(() => undefined);
      return result;
    });
  }

  /** Today's `state/sources.json` (folders indexed by `docent index`) as file-share connectors with the same source ids. */
  private async absorbLegacy(records: ConnectorRecord[]): Promise<ConnectorRecord[]> {
    let legacy: LegacySourceRecord[];
    try {
      legacy = (JSON.parse(await readFile(this.legacyFile, 'utf8')) as { sources: LegacySourceRecord[] }).sources;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return records;
      throw this.unreadable(error);
    }
    const taken = new Set(records.map((record) => record.name));
    for (const source of legacy) {
      if (records.some((record) => record.sourceId === source.sourceId)) continue;
      const name = folderConnectorName(source.location, taken);
      taken.add(name);
      const at = source.lastRun?.finishedAt ?? new Date().toISOString();
      const record: ConnectorRecord = { name, kind: 'file-share', sourceId: source.sourceId, config: { path: source.location, permissions: 'everyone' }, paused: false, createdAt: at, updatedAt: at, runs: [] };
      if (source.lastRun) {
        const report = { ...source.lastRun, metadataUpdated: source.lastRun.metadataUpdated ?? 0 };
        record.runs.push({
          id: randomUUID(), trigger: 'manual', startedAt: report.startedAt, finishedAt: report.finishedAt, state: report.interrupted ? 'interrupted' : 'succeeded',
          counts: countsOf(report), failures: report.failures.slice(0, maxStoredFailures), runner: { pid: 0, host: '' },
        });
      }
      records.push(record);
    }
    return records;
  }

  private unreadable(error: unknown): DocentError {
    const reason = error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') : describeError(error);
    return new DocentError('state_unavailable', `the connector state in ${this.file} cannot be read (${reason}); restore it from a backup or remove it (connectors then need adding again)`, { cause: error, retryable: false });
  }
}

export type { ConnectorRecord, ConnectorRun, ConnectorSettings } from './connector-record.js';

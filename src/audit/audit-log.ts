import { randomUUID } from 'node:crypto';
import { constants, writeSync } from 'node:fs';
import { mkdir, open, unlink, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { DocentError, describeError, isDocentError } from '../core/errors.js';
import type { AuditContent, AuditRecord, RepairContent } from './audit-record.js';
import { auditPaths, type AuditPaths } from './audit-paths.js';
import { syncDirectory } from './durable-files.js';
import { HeadWriter, readHead } from './head-marker.js';
import { LogLock } from './log-lock.js';
import { readFully, readTail } from './log-tail.js';
import { checkLine, genesisHash, sealRecord, sha256Hex } from './record-chain.js';
import { findRecordById } from './record-reader.js';
import { dayOf, listSegments, segmentName, type SegmentFile } from './segment-files.js';

export interface AuditLogOptions {
  /** `<dataDir>/audit`. */
  directory: string;
  /** A segment file is closed after this many records (and at every UTC midnight). Default 100,000. */
  segmentRecords?: number;
  /** How long an append waits for another process's lock before failing. Default 10 s. */
  lockTimeoutMs?: number;
  /** The lock is let go after this long without appends, for other processes. Default 200 ms. */
  idleReleaseMs?: number;
  /** Most records written with one fsync. Default 4,096. */
  maximumBatch?: number;
  /**
   * A busy writer that has held the lock this long lets go for a moment when another
   * process (an admin's command beside a busy server) waits for it. Default 1 s.
   */
  maximumHoldMs?: number;
  /** The clock records are stamped with; tests set it. */
  now?: () => Date;
}

interface PendingAppend {
  content: AuditContent;
  id: string;
  time: string;
  resolve(record: AuditRecord): void;
  reject(error: unknown): void;
}

interface OpenSegment {
  file: SegmentFile;
  handle: FileHandle;
  /** Committed bytes: everything before this offset is on disk. */
  size: number;
  /** Committed records in the file. */
  records: number;
}

/** The end of the chain as committed to disk. */
interface ChainState {
  lastSequence: number;
  lastHash: string;
  segment: OpenSegment | undefined;
}

const inlineWriteBytes = 64 * 1024;

const incompleteLineReason = 'the last line was incomplete: the writer stopped while writing it (a crash or kill), so its record was never confirmed';

/**
 * The append-only, hash-chained audit log. `append` resolves only once the record is on
 * disk (written and fsynced), so a caller that waits for it never shows an answer that
 * was not recorded. Appends that arrive while a write is in flight are written together
 * with the next single write and fsync (group commit): the same durability per record,
 * many records per disk flush.
 */
export class AuditLog {
  readonly paths: AuditPaths;
  private readonly segmentRecords: number;
  private readonly maximumBatch: number;
  private readonly idleReleaseMs: number;
  private readonly maximumHoldMs: number;
  private lockedAt = 0;
  private readonly now: () => Date;
  private readonly lock: LogLock;
  private readonly head: HeadWriter;
  private readonly queue: PendingAppend[] = [];
  private draining: Promise<void> | undefined;
  private locking: Promise<void> | undefined;
  private state: ChainState | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private pins = 0;
  private closed = false;
  private directoryCreated = false;
  private readonly counters = { records: 0, commits: 0 };

  private constructor(options: AuditLogOptions) {
    this.paths = auditPaths(path.resolve(options.directory));
    this.segmentRecords = options.segmentRecords ?? 100_000;
    this.maximumBatch = options.maximumBatch ?? 4096;
    this.idleReleaseMs = options.idleReleaseMs ?? 200;
    this.maximumHoldMs = options.maximumHoldMs ?? 1000;
    this.now = options.now ?? (() => new Date());
    this.lock = new LogLock(this.paths.lock, options.lockTimeoutMs ?? 10_000);
    this.head = new HeadWriter(this.paths.head);
  }

  /**
   * Opens the log for appending, creating it when absent. A last line left incomplete by
   * a crash is cut off here and the repair appended as a record of its own.
   */
  static async open(options: AuditLogOptions): Promise<AuditLog> {
    const log = AuditLog.openOnFirstUse(options);
    try {
      await log.ready();
    } catch (error) {
      await log.close().catch(() => undefined);
      throw error;
    }
    return log;
  }

  /**
   * The log without touching the disk yet: the files are created, locked and checked on the
   * first append or `ready()`. For processes that may never record anything (indexing,
   * search, status), so a damaged log stops only the work that must be recorded.
   */
  static openOnFirstUse(options: AuditLogOptions): AuditLog {
    return new AuditLog(options);
  }

  /**
   * Opens the log for appending now (creating it, or repairing a last line left incomplete
   * by a crash): a command that must record calls it before doing any work, and stops with
   * `audit_corrupt` or `audit_unavailable` naming the problem rather than after the work.
   */
  async ready(): Promise<void> {
    if (this.closed) throw new DocentError('audit_unavailable', 'the audit log is closed');
    try {
      await this.withLock(async () => undefined);
    } catch (error) {
      throw asAuditError(error, 'could not open the audit log');
    }
  }

  /** Appends a record and resolves once it is durably on disk. */
  append(content: AuditContent): Promise<AuditRecord> {
    if (this.closed) return Promise.reject(new DocentError('audit_unavailable', 'the audit log is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ content, id: randomUUID(), time: this.now().toISOString(), resolve, reject });
      this.startDraining();
    });
  }

  /** Records written and disk flushes (fsyncs) that wrote them, since this log was opened: group commit at work. */
  get statistics(): { records: number; commits: number } {
    return { ...this.counters };
  }

  /** The record with this id, or undefined; reads the files, newest first. */
  findRecord(id: string): Promise<AuditRecord | undefined> {
    return findRecordById(this.paths.directory, id);
  }

  /**
   * Runs `work` while this process holds the log's lock, so no other process appends
   * meanwhile (retention uses it). Appends made inside still go through `append`.
   */
  async withLock<T>(work: () => Promise<T>): Promise<T> {
    this.pins++;
    try {
      await this.ensureLocked();
      return await work();
    } finally {
      this.pins--;
      this.scheduleRelease();
    }
  }

  /** Waits for pending appends, then lets go of the lock and the files. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.draining) await this.draining;
    clearTimeout(this.idleTimer);
    await this.state?.segment?.handle.close().catch(() => undefined);
    this.state = undefined;
    this.head.close();
    await this.lock.release();
  }

  private startDraining(): void {
    if (this.draining) return;
    clearTimeout(this.idleTimer);
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      if (this.queue.length > 0) this.startDraining();
      else this.scheduleRelease();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.lock.held && this.pins === 0 && Date.now() - this.lockedAt > this.maximumHoldMs && this.lock.someoneWaiting()) {
        await this.lock.release();
        // Longer than other processes wait between attempts (at most 50 ms), so one of them gets in.
        await new Promise((resolve) => setTimeout(resolve, 60));
      }
      const batch = this.queue.splice(0, this.maximumBatch);
      try {
        await this.ensureLocked();
        await this.writeBatch(batch);
      } catch (error) {
        const failure = asAuditError(error, 'could not write the audit log');
        for (const pending of batch) pending.reject(failure);
      }
    }
  }

  private async ensureLocked(): Promise<void> {
    while (this.locking) await this.locking;
    if (this.lock.held && this.state) return;
    this.locking = (async () => {
      if (!this.lock.held) {
        if (!this.directoryCreated) {
          // Created on first use: the lock file lives in this directory.
          await mkdir(this.paths.segments, { recursive: true, mode: 0o750 });
          this.directoryCreated = true;
        }
        await this.lock.acquire();
        this.lockedAt = Date.now();
      }
      await this.syncWithDisk();
    })().finally(() => {
      this.locking = undefined;
    });
    await this.locking;
  }

  private scheduleRelease(): void {
    clearTimeout(this.idleTimer);
    if (!this.lock.held || this.pins > 0 || this.draining || this.queue.length > 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.pins > 0 || this.draining || this.queue.length > 0 || this.locking) return;
      void this.lock.release();
    }, this.idleReleaseMs);
    this.idleTimer.unref();
  }

  /**
   * Finds the end of the chain on disk, unless nothing changed since this process last
   * held the lock. Another process may have appended, rotated or crashed meanwhile.
   */
  private async syncWithDisk(): Promise<void> {
    const { segments } = await listSegments(this.paths.directory);
    const last = segments.at(-1);
    const current = this.state?.segment;
    if (this.state && current && last?.name === current.file.name) {
      const { size } = await current.handle.stat();
      if (size === current.size) return;
    }
    if (this.state && !current && !last) return;
    await current?.handle.close().catch(() => undefined);
    this.state = undefined;
    this.state = await this.loadState(segments);
  }

  private async loadState(segments: SegmentFile[]): Promise<ChainState> {
    const remaining = [...segments];
    let repair: RepairContent | undefined;
    for (;;) {
      const file = remaining.pop();
      if (!file) {
        const head = await readHead(this.paths.head);
        if (head !== undefined && head !== 'unreadable' && head.sequence > 0) {
          throw new DocentError('audit_corrupt', `the audit log's segment files are missing (head.json says record ${head.sequence} was written); run \`docent audit verify\``);
        }
        const state: ChainState = { lastSequence: 0, lastHash: genesisHash, segment: undefined };
        if (repair) await this.writeRepair(state, repair);
        return state;
      }
      const handle = await open(file.path, constants.O_RDWR);
      try {
        const tail = await readTail(handle);
        if (tail.size > tail.completeLength) {
          const removed = Buffer.alloc(tail.size - tail.completeLength);
          await readFully(handle, removed, tail.completeLength);
          await handle.truncate(tail.completeLength);
          await handle.sync();
          repair = { type: 'repair', file: file.name, offset: tail.completeLength, removedBytes: removed.length, removedSha256: sha256Hex(removed), reason: incompleteLineReason };
        }
        if (!tail.lastLine) {
          // Created but never given a whole record: nothing to keep, and the next record's sequence decides its name.
          await handle.close();
          await unlink(file.path);
          await syncDirectory(this.paths.segments);
          continue;
        }
        const check = checkLine(tail.lastLine);
        if (!check.ok) {
          throw new DocentError('audit_corrupt', `the last record of the audit log (${file.name}, byte ${tail.lastLineOffset}) ${check.problem}; run \`docent audit verify\``);
        }
        const record = check.record;
        const state: ChainState = {
          lastSequence: record.sequence,
          lastHash: record.hash,
          segment: { file, handle, size: tail.completeLength, records: record.sequence - file.firstSequence + 1 },
        };
        if (repair) await this.writeRepair(state, repair);
        return state;
      } catch (error) {
        await handle.close().catch(() => undefined);
        throw error;
      }
    }
  }

  private async writeRepair(state: ChainState, repair: RepairContent): Promise<void> {
    this.state = state;
    const failures: unknown[] = [];
    await this.writeBatch([{ content: repair, id: randomUUID(), time: this.now().toISOString(), resolve: () => undefined, reject: (error) => failures.push(error) }]);
    if (failures.length > 0) throw failures[0];
  }

  /** Seals and writes the batch, one write and one fsync per segment file it touches. */
  private async writeBatch(batch: PendingAppend[]): Promise<void> {
    const state = this.state;
    if (!state) throw new Error('audit log state is not loaded');
    let lines: string[] = [];
    let sealed: { pending: PendingAppend; record: AuditRecord }[] = [];
    let sequence = state.lastSequence;
    let previousHash = state.lastHash;
    try {
      for (const pending of batch) {
        const day = dayOf(pending.time);
        const segment = state.segment;
        if (!segment || segment.file.day !== day || segment.records + lines.length >= this.segmentRecords) {
          await this.commit(state, lines, sealed);
          lines = [];
          sealed = [];
          await this.startSegment(state, sequence + 1, day);
        }
        sequence++;
        const { record, line } = sealRecord(pending.content, { sequence, id: pending.id, time: pending.time, previousHash });
        previousHash = record.hash;
        lines.push(line);
        sealed.push({ pending, record });
      }
      await this.commit(state, lines, sealed);
    } catch (error) {
      // Whatever reached the file past the committed end is cut off on the next load.
      await state.segment?.handle.close().catch(() => undefined);
      this.state = undefined;
      const failure = asAuditError(error, 'could not write the audit log');
      for (const { pending } of sealed) pending.reject(failure);
      throw failure;
    }
  }

  private async commit(state: ChainState, lines: string[], sealed: { pending: PendingAppend; record: AuditRecord }[]): Promise<void> {
    const segment = state.segment;
    if (lines.length === 0 || !segment) return;
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    let written = 0;
    while (written < bytes.length) {
      // A small write only copies into the page cache, faster inline than a round trip to
      // the thread pool (which costs as much as the copy, twice per commit); only the
      // fsync waits for the disk, and it never blocks the event loop. Large batches are
      // written off the main thread.
      if (bytes.length <= inlineWriteBytes) written += writeSync(segment.handle.fd, bytes, written, bytes.length - written, segment.size + written);
      else written += (await segment.handle.write(bytes, written, bytes.length - written, segment.size + written)).bytesWritten;
    }
    await segment.handle.sync();
    segment.size += bytes.length;
    segment.records += lines.length;
    this.counters.records += lines.length;
    this.counters.commits++;
    const last = sealed[sealed.length - 1]!.record;
    state.lastSequence = last.sequence;
    state.lastHash = last.hash;
    try {
      this.head.write({ sequence: last.sequence, hash: last.hash });
    } catch {
      // The records are on disk; a stale marker only weakens the check for cut-off records until the next commit.
    }
    for (const { pending, record } of sealed) pending.resolve(record);
  }

  private async startSegment(state: ChainState, firstSequence: number, day: string): Promise<void> {
    await state.segment?.handle.close();
    state.segment = undefined;
    const name = segmentName(firstSequence, day);
    const file: SegmentFile = { name, path: path.join(this.paths.segments, name), firstSequence, day };
    const handle = await open(file.path, constants.O_RDWR | constants.O_CREAT | constants.O_EXCL, 0o640);
    state.segment = { file, handle, size: 0, records: 0 };
    await syncDirectory(this.paths.segments);
  }
}

function asAuditError(error: unknown, context: string): DocentError {
  if (isDocentError(error) && (error.code === 'audit_unavailable' || error.code === 'audit_corrupt')) return error;
  return new DocentError('audit_unavailable', `${context}: ${describeError(error)}`, { cause: error, retryable: true });
}

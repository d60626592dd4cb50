import { DocentError } from '../../src/core/errors.js';
import type { ConnectorDocument } from '../../src/core/connector.js';
import type { BatchOutcome, DispatchBatch, DocumentBatch, EnumerationSummary, LostBatch, SyncRun, SyncRunReport, SyncStages } from '../../src/jobs/sync-stages.js';

/** One call of a recorded step. */
export type StageCall =
  | { step: 'enumerate'; run: SyncRun; inFlight: string[] }
  | { step: 'batch'; run: SyncRun; documents: string[] }
  | { step: 'finalize'; run: SyncRun; indexed: string[]; lost: LostBatch[] }
  | { step: 'failure'; run: SyncRun; code: string; final: boolean };

/**
 * Sync steps for testing the job runners themselves: each connector has a fixed list of
 * documents, handed out two per batch; failures are injected by document or connector
 * name. Implements the real `SyncStages` interface and records every call, so tests see
 * what ran, in what order and how often.
 */
export class RecordingStages implements SyncStages {
  readonly calls: StageCall[] = [];
  /** Enumerations of these connectors fail with this error this many more times. */
  readonly enumerationFailures = new Map<string, { error: DocentError; times: number }>();
  /** Batches holding this document fail with this error this many more times. */
  readonly batchFailures = new Map<string, { error: DocentError; times: number }>();
  /** Batches holding this document wait until the job is interrupted. */
  readonly blockingDocuments = new Set<string>();
  private activeBatches = 0;
  maximumConcurrentBatches = 0;

  constructor(private readonly documentsByConnector: Record<string, number>) {}

  async enumerate(run: SyncRun, dispatch: DispatchBatch, inFlight: ReadonlySet<string>, signal: AbortSignal): Promise<EnumerationSummary> {
    this.calls.push({ step: 'enumerate', run, inFlight: [...inFlight] });
    const failure = this.enumerationFailures.get(run.connector);
    if (failure && failure.times > 0) {
      failure.times--;
      throw failure.error;
    }
    const count = this.documentsByConnector[run.connector] ?? 0;
    const documents = Array.from({ length: count }, (_, index) => document(run.connector, index + 1));
    let batches = 0;
    for (let index = 0; index < documents.length; index += 2) {
      if (signal.aborted) throw new DocentError('internal', 'aborted');
      await dispatch(documents.slice(index, index + 2));
      batches++;
    }
    return { seen: count, unchanged: 0, metadataUpdated: 0, dispatched: count, batches, failures: [], nextCheckpoint: { done: count }, keptDocumentIds: [] };
  }

  async indexBatch(batch: DocumentBatch, signal: AbortSignal): Promise<BatchOutcome> {
    const ids = batch.documents.map((entry) => entry.id);
    this.calls.push({ step: 'batch', run: batch.run, documents: ids });
    this.activeBatches++;
    this.maximumConcurrentBatches = Math.max(this.maximumConcurrentBatches, this.activeBatches);
    try {
      // Long enough for batches to overlap when concurrency allows it.
      await new Promise((resolve) => setTimeout(resolve, 20));
      if (ids.some((id) => this.blockingDocuments.has(id))) {
        await new Promise((_, reject) => {
          if (signal.aborted) reject(new DocentError('internal', 'aborted'));
          signal.addEventListener('abort', () => reject(new DocentError('internal', 'aborted')), { once: true });
        });
      }
      for (const id of ids) {
        const failure = this.batchFailures.get(id);
        if (failure && failure.times > 0) {
          failure.times--;
          throw failure.error;
        }
      }
      // The content travels with the batch (through Redis for BullMQ): check it arrived intact.
      for (const entry of batch.documents) {
        if (new TextDecoder().decode(entry.content) !== `content of ${entry.id}`) throw new DocentError('internal', `content of ${entry.id} garbled`);
      }
      return { indexed: ids, added: ids.length, updated: 0, chunks: ids.length, failures: [], worker: `test:${process.pid}` };
    } finally {
      this.activeBatches--;
    }
  }

  async finalize(run: SyncRun, summary: EnumerationSummary, batches: BatchOutcome[], lost: LostBatch[]): Promise<SyncRunReport> {
    const indexed = batches.flatMap((batch) => batch.indexed).sort();
    this.calls.push({ step: 'finalize', run, indexed, lost });
    const now = new Date().toISOString();
    return {
      runId: run.runId,
      connector: run.connector,
      trigger: run.trigger,
      startedAt: run.requestedAt,
      finishedAt: now,
      status: lost.length > 0 ? 'partial' : 'succeeded',
      seen: summary.seen,
      added: indexed.length,
      updated: 0,
      metadataUpdated: 0,
      unchanged: summary.unchanged,
      deleted: 0,
      failed: lost.reduce((sum, batch) => sum + batch.documentIds.length, 0),
      chunks: indexed.length,
      failures: [],
      workers: {},
    };
  }

  async recordFailure(run: SyncRun, error: unknown, final: boolean): Promise<void> {
    this.calls.push({ step: 'failure', run, code: (error as DocentError).code ?? 'unknown', final });
  }

  callsOf<Step extends StageCall['step']>(step: Step, connector?: string): Extract<StageCall, { step: Step }>[] {
    return this.calls.filter((call): call is Extract<StageCall, { step: Step }> => call.step === step && (!connector || call.run.connector === connector));
  }
}

function document(connector: string, number: number): ConnectorDocument {
  const id = `${connector}:doc-${String(number).padStart(3, '0')}`;
  return { id, sourceId: `test:${connector}`, uri: `/${id}`, name: `${id}.txt`, content: new TextEncoder().encode(`content of ${id}`), access: ['everyone'], version: 'v1' };
}

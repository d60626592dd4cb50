import type { BatchOutcome, LostBatch, RunFailure } from './sync-stages.js';

/**
 * The failures of one run, one per document. A batch can run twice in a run (its worker died
 * after finishing it but before the run noted it, so enumeration handed the document out again):
 * a document that failed twice is one failure, the later one, and a document that a later try
 * indexed has not failed at all.
 */
export function runFailures(enumerationFailures: RunFailure[], batches: BatchOutcome[], lost: LostBatch[]): RunFailure[] {
  const indexed = new Set(batches.flatMap((batch) => batch.indexed));
  const byDocument = new Map<string, RunFailure>();
  const note = (failure: RunFailure): void => {
    if (indexed.has(failure.documentId)) return;
    byDocument.delete(failure.documentId);
    byDocument.set(failure.documentId, failure);
  };
  for (const failure of enumerationFailures) note(failure);
  for (const batch of batches) for (const failure of batch.failures) note(failure);
  for (const batch of lost) {
    for (const documentId of batch.documentIds) note({ documentId, location: documentId, code: 'index_unavailable', message: `its batch failed on every try: ${batch.reason}` });
  }
  return [...byDocument.values()];
}

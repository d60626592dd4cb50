import { setPriority } from 'node:os';

/** Niceness of worker threads doing throughput work (embedding, parsing). */
const backgroundNiceness = 10;

/**
 * Lowers the calling worker thread's scheduling priority. Embedding and parsing are
 * throughput work, while the main thread's event loop receives chat and HTTP requests:
 * when the cores are busy, the loop should get them first, so a Slack or Teams request is
 * not left waiting behind a batch of vectors. On Linux a thread has its own priority, so
 * this leaves the main thread as it is. Where lowering is refused or unsupported, the
 * thread runs at normal priority.
 */
export function lowerThreadPriority(): void {
  try {
    setPriority(0, backgroundNiceness);
  } catch {
    // Not permitted here (e.g. a sandbox): normal priority is correct, only less responsive under load.
  }
}

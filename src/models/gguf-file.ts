import { open } from 'node:fs/promises';
import { DocentError } from '../core/errors.js';

/** GGUF files begin with these four bytes (ggml's `docs/gguf.md`). */
const ggufMagic = Buffer.from('GGUF', 'ascii');

/**
 * Fails with a message naming the path when `filePath` is missing or is not a GGUF
 * model, before node-llama-cpp is asked to load it (its own errors do not say which).
 */
export async function assertGgufFile(filePath: string): Promise<void> {
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : `cannot be read (${(error as Error).message})`;
    throw new DocentError('model_unavailable', `the model file ${filePath} ${reason}`, { cause: error });
  }
  try {
    const header = Buffer.alloc(4);
    const { bytesRead } = await handle.read(header, 0, 4, 0);
    if (bytesRead < 4 || !header.equals(ggufMagic)) {
      throw new DocentError('model_integrity', `the model file ${filePath} is not a GGUF file (it does not start with "GGUF"); convert it with llama.cpp or download a .gguf build`);
    }
  } finally {
    await handle.close();
  }
}

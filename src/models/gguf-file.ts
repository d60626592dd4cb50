import { open } from 'node:fs/promises';
import { DocentError } from '../core/errors.js';

/** GGUF files begin with these four bytes (ggml's `docs/gguf.md`). */
const ggufMagic = Buffer.from('GGUF', 'ascii');

export function startsWithGgufMagic(start: Buffer): boolean {
  return start.length >= ggufMagic.length && start.subarray(0, ggufMagic.length).equals(ggufMagic);
}

/** Shows the first bytes of a file that is not GGUF, so that "it is an HTML page" is obvious from the message. */
export function describeFileStart(start: Buffer): string {
  const sample = start.subarray(0, 16);
  const printable = [...sample].every((byte) => byte === 0x09 || byte === 0x0a || byte === 0x0d || (byte >= 0x20 && byte < 0x7f));
  return printable ? JSON.stringify(sample.toString('ascii')) : `bytes ${sample.toString('hex')}`;
}

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
    const header = Buffer.alloc(16);
    const { bytesRead } = await handle.read(header, 0, header.length, 0);
    const start = header.subarray(0, bytesRead);
    if (!startsWithGgufMagic(start)) {
      throw new DocentError('model_integrity', `the model file ${filePath} is not a GGUF file (it starts with ${bytesRead === 0 ? 'nothing: it is empty' : describeFileStart(start)}); convert it with llama.cpp or download a .gguf build`);
    }
  } finally {
    await handle.close();
  }
}

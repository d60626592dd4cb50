import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Writes a file through a temporary file in the same folder and a rename, so a crash or a
 * full disk leaves either the old content or the new, never a torn file. `mode` sets the
 * permissions the file is created with (e.g. 0o600 for a file only its owner may read).
 */
export async function writeFileAtomically(file: string, content: string, options: { mode?: number } = {}): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.${Date.now()}.tmp`;
  await writeFile(temporary, content, options.mode === undefined ? {} : { mode: options.mode });
  await rename(temporary, file);
}

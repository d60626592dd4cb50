import { readFile } from 'node:fs/promises';

/**
 * Reads one of the log's small JSON marker files (head, retention anchor): `undefined`
 * when there is none, `'unreadable'` when it holds something other than what `isValid`
 * accepts, so that verify reports a damaged marker instead of trusting it.
 */
export async function readMarkerFile<Marker>(file: string, isValid: (value: Marker) => boolean): Promise<Marker | 'unreadable' | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const marker = JSON.parse(text) as Marker;
    if (marker !== null && typeof marker === 'object' && isValid(marker)) return marker;
  } catch {
    // Not JSON: unreadable, like JSON of the wrong shape.
  }
  return 'unreadable';
}

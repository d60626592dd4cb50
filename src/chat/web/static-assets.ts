import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mediaTypeForName } from './media-type.js';

export interface StaticAsset {
  body: Buffer;
  mediaType: string;
  /** Strong validator, so reloads cost a 304 instead of the file. */
  etag: string;
}

/**
 * The folder holding the chat page. tsc does not copy non-TypeScript files, so when this
 * module runs from `dist/src/chat/web` the page is still read from the source tree.
 */
export async function resolvePublicDirectory(): Promise<string> {
  const candidates = [
    fileURLToPath(new URL('./public/', import.meta.url)),
    fileURLToPath(new URL('../../../../src/chat/web/public/', import.meta.url)),
  ];
  for (const candidate of candidates) {
    const found = await stat(join(candidate, 'index.html')).catch(() => undefined);
    if (found?.isFile()) return candidate;
  }
  throw new Error(`The web chat's page was not found; looked in ${candidates.join(' and ')}`);
}

/**
 * Reads every file directly inside `directory` into memory. The page is a handful of
 * small files; holding them avoids any path handling on requests (no traversal to guard).
 */
export async function loadStaticAssets(directory: string): Promise<Map<string, StaticAsset>> {
  const assets = new Map<string, StaticAsset>();
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const body = await readFile(join(directory, entry.name));
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    assets.set(entry.name, { body, mediaType: mediaTypeForName(entry.name), etag });
  }
  return assets;
}

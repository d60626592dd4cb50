import { createHash } from 'node:crypto';
import type { Validators } from './page-fetcher.js';

/**
 * A page's version: `etag:<ETag>`, else `modified:<Last-Modified>`, else
 * `sha256:<content hash>`, then `;access=<hash of the configured readers>` so that
 * changing who may read the site re-indexes it (a version promises the same bytes *and*
 * the same readers). The validator half is also what a later conditional request sends.
 */
export function pageVersion(headers: Headers, content: Uint8Array, accessFingerprint: string): string {
  const etag = headers.get('etag')?.trim();
  const lastModified = headers.get('last-modified')?.trim();
  const validator =
    etag !== undefined && etag !== ''
      ? `etag:${etag}`
      : lastModified !== undefined && lastModified !== ''
        ? `modified:${lastModified}`
        : `sha256:${createHash('sha256').update(content).digest('hex').slice(0, 32)}`;
  return `${validator};access=${accessFingerprint}`;
}

/** A short, order-independent fingerprint of the principals every page carries. */
export function accessFingerprint(access: readonly string[]): string {
  return createHash('sha256').update([...new Set(access)].sort().join('\n')).digest('hex').slice(0, 8);
}

/**
 * The validators a version holds for a conditional request, or undefined when it holds
 * none (a content hash) or was made for other readers (the page must be fetched again
 * to be re-indexed with the new ones).
 */
export function validatorsOf(version: string, currentAccessFingerprint: string): Validators | undefined {
  const suffix = `;access=${currentAccessFingerprint}`;
  if (!version.endsWith(suffix)) return undefined;
  const validator = version.slice(0, -suffix.length);
  if (validator.startsWith('etag:')) return { etag: validator.slice('etag:'.length) };
  if (validator.startsWith('modified:')) return { lastModified: validator.slice('modified:'.length) };
  return undefined;
}

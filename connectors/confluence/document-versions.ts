import { createHash } from 'node:crypto';
import type { Principal } from '../../src/core/access.js';
import { pageHtmlRevision } from './page-html.js';

/**
 * Versions as the index compares them. A restriction or space permission change leaves
 * Confluence's version number alone, so a digest of the effective readers is folded in:
 * the next sync that reads the new restriction sees a new version and updates the
 * document in place (its chunks get the new readers) without the page being edited.
 * Pages also carry the body format and the conversion's revision, since both change the
 * bytes indexed for the same page version.
 */
export function pageVersion(versionNumber: number, readers: readonly Principal[], bodyFormat: string): string {
  return `page-${versionNumber}-${bodyFormat}${pageHtmlRevision}-readers-${readersDigest(readers)}`;
}

export function attachmentVersion(versionNumber: number, readers: readonly Principal[]): string {
  return `attachment-${versionNumber}-readers-${readersDigest(readers)}`;
}

/** A short digest of a set of principals, independent of their order. */
export function readersDigest(readers: readonly Principal[]): string {
  return createHash('sha256')
    .update([...new Set(readers)].sort().join('\n'))
    .digest('hex')
    .slice(0, 16);
}

/** Ids unique across sources: the source id, then the kind and Confluence's own id. */
export function pageDocumentId(sourceId: string, pageId: string): string {
  return `${sourceId}:page/${pageId}`;
}

export function attachmentDocumentId(sourceId: string, attachmentId: string): string {
  return `${sourceId}:attachment/${attachmentId}`;
}

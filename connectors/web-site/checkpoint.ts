/**
 * What a web-site run remembers for the next: one record per page URL it requested,
 * kept compact (a tuple, not an object) because a site has tens of thousands of pages
 * and the whole checkpoint is one JSON value:
 *
 *   [version, depth]                           the page is indexed under its own URL
 *   [version, depth, canonical]                the page is indexed under another URL (its canonical link or redirect target)
 *   [version, depth, canonical, 'duplicate']   another page stood for that canonical URL; this one's bytes are not indexed
 *   ['', depth]                                to be visited again but holds no document (noindex, or never read)
 *
 * The version's validator half (an ETag or Last-Modified) makes the next request
 * conditional. The depth lets the next run visit every known page even when the page
 * linking to it answers 304 and so shows no links.
 */
export type PageRecord =
  | [version: string, depth: number]
  | [version: string, depth: number, canonical: string]
  | [version: string, depth: number, canonical: string, marker: 'duplicate'];

export type WebSiteCheckpoint = {
  /** Bumped when the layout changes; an unknown format starts over rather than misread. */
  format: 1;
  /** When the run began (milliseconds since the epoch): sitemap `<lastmod>` dates are compared with it. */
  startedAt: number;
  /** By the URL requested (looked up by its identity, `SiteScope.identify`). */
  pages: { [url: string]: PageRecord };
};

/** What a run takes from the previous one. */
export interface PreviousRun {
  pages: Map<string, PageRecord>;
  /** Undefined when there was no (readable) previous run. */
  startedAt?: number;
}

/** Reads a checkpoint; one that is missing or of an unknown layout reads as no previous run. */
export function readCheckpoint(checkpoint: unknown): PreviousRun {
  const pages = new Map<string, PageRecord>();
  if (typeof checkpoint !== 'object' || checkpoint === null || (checkpoint as { format?: unknown }).format !== 1) return { pages };
  const { pages: records, startedAt } = checkpoint as { pages?: unknown; startedAt?: unknown };
  if (typeof records === 'object' && records !== null) {
    for (const [url, record] of Object.entries(records)) {
      if (isPageRecord(record)) pages.set(url, record);
    }
  }
  return typeof startedAt === 'number' && Number.isFinite(startedAt) ? { pages, startedAt } : { pages };
}

function isPageRecord(value: unknown): value is PageRecord {
  return (
    Array.isArray(value) &&
    value.length >= 2 &&
    value.length <= 4 &&
    typeof value[0] === 'string' &&
    typeof value[1] === 'number' &&
    Number.isInteger(value[1]) &&
    value[1] >= 0 &&
    (value.length < 3 || typeof value[2] === 'string') &&
    (value.length < 4 || value[3] === 'duplicate')
  );
}

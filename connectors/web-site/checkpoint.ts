/**
 * What a web-site run remembers for the next: the pages it requested, so that the next
 * run visits every one of them even when the page linking to it answers 304 and so shows
 * no links. A site has tens of thousands of pages and the checkpoint is one JSON value
 * in the connector store, so each page costs its URL and a few bytes:
 *
 *   depth                                  the page is indexed under its own URL (or holds no document)
 *   [depth, canonical]                     the page is indexed under another URL (its canonical link or redirect target)
 *   [depth, canonical, version]            a duplicate: another page stood for that canonical URL; `version` is this page's own
 *
 * Versions, and the ETag or Last-Modified in them that make a request conditional, are
 * not kept here: the index holds each indexed document's version (`indexedVersion`), and
 * a page whose last indexing failed is then rightly fetched whole again. Only a
 * duplicate, whose bytes are not indexed, keeps its own.
 */
export type PageRecord = number | [depth: number, canonical: string] | [depth: number, canonical: string, duplicateVersion: string];

export type WebSiteCheckpoint = {
  /** Bumped when the layout changes; an unknown format starts over rather than misread. */
  format: 1;
  /** When the run began (milliseconds since the epoch): sitemap `<lastmod>` dates are compared with it. */
  startedAt: number;
  /** By the URL requested (looked up by its identity, `SiteScope.identify`). */
  pages: { [url: string]: PageRecord };
};

/** A page the previous run requested, as the crawl uses it. */
export interface KnownPage {
  depth: number;
  /** Identity of the document the page stood for, when not its own. */
  canonical?: string;
  /** The page's own version, for a duplicate. */
  duplicateVersion?: string;
}

/** What a run takes from the previous one. */
export interface PreviousRun {
  pages: Map<string, KnownPage>;
  /** Undefined when there was no (readable) previous run. */
  startedAt?: number;
}

export function pageRecord(page: KnownPage): PageRecord {
  if (page.canonical === undefined) return page.depth;
  return page.duplicateVersion === undefined ? [page.depth, page.canonical] : [page.depth, page.canonical, page.duplicateVersion];
}

/** Reads a checkpoint; one that is missing or of an unknown layout reads as no previous run. */
export function readCheckpoint(checkpoint: unknown): PreviousRun {
  const pages = new Map<string, KnownPage>();
  if (typeof checkpoint !== 'object' || checkpoint === null || (checkpoint as { format?: unknown }).format !== 1) return { pages };
  const { pages: records, startedAt } = checkpoint as { pages?: unknown; startedAt?: unknown };
  if (typeof records === 'object' && records !== null) {
    for (const [url, record] of Object.entries(records)) {
      const page = knownPage(record);
      if (page !== undefined) pages.set(url, page);
    }
  }
  return typeof startedAt === 'number' && Number.isFinite(startedAt) ? { pages, startedAt } : { pages };
}

function knownPage(record: unknown): KnownPage | undefined {
  const isDepth = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0;
  if (isDepth(record)) return { depth: record };
  if (!Array.isArray(record) || !isDepth(record[0]) || typeof record[1] !== 'string') return undefined;
  if (record.length === 2) return { depth: record[0], canonical: record[1] };
  if (record.length === 3 && typeof record[2] === 'string') return { depth: record[0], canonical: record[1], duplicateVersion: record[2] };
  return undefined;
}

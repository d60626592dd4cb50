import { accessFingerprint } from './page-version.js';

/** Who may read a page, and the fingerprint of that set that its version carries. */
export interface Readers {
  principals: string[];
  fingerprint: string;
}

/**
 * The readers of each page. A web site shows Docent no per-page permissions, so they come
 * from the config: `access` for the whole site, and `accessByPath` for sections meant for
 * fewer people (`/hr/` for group:hr); the longest matching path prefix wins.
 */
export class PageReaders {
  private readonly site: Readers;
  private readonly sections: { pathPrefix: string; readers: Readers }[];

  constructor(access: readonly string[], accessByPath: readonly { pathPrefix: string; access: readonly string[] }[]) {
    this.site = readers(access);
    this.sections = accessByPath
      .map((section) => ({ pathPrefix: section.pathPrefix, readers: readers(section.access) }))
      .sort((first, second) => second.pathPrefix.length - first.pathPrefix.length);
  }

  of(url: string): Readers {
    const path = new URL(url).pathname;
    return this.sections.find((section) => path.startsWith(section.pathPrefix))?.readers ?? this.site;
  }
}

function readers(access: readonly string[]): Readers {
  const principals = [...new Set(access)];
  return { principals, fingerprint: accessFingerprint(principals) };
}

import { DocentError } from '../core/errors.js';

export interface ListingCheck {
  sourceId: string;
  /** Ids the source listed in this run. */
  listed: number;
  /** Documents of the source the index holds (or this run wrote) that the listing would decide about. */
  indexed: number;
  /** The admin confirmed that the source may be empty (the connector's `allowEmpty` setting). */
  allowEmpty: boolean;
}

/**
 * Refuses a listing of nothing while the index holds documents of the source: an SMB/NFS
 * share that is not mounted, a site answering with an empty sitemap or a repository
 * checked out at the wrong place all look empty, and deleting every document of the
 * source on that evidence loses what users search. The admin who really emptied a
 * source says so with the connector's `allowEmpty` setting.
 */
export function checkListingNotEmpty(check: ListingCheck): void {
  if (check.listed > 0 || check.indexed === 0 || check.allowEmpty) return;
  throw new DocentError(
    'source_unreachable',
    `${check.sourceId} is empty but ${check.indexed} document${check.indexed === 1 ? ' was' : 's were'} indexed from it; nothing was deleted. ` +
      'Is the share mounted (or the source reachable as configured)? If the source really is empty now, set the connector setting allowEmpty to true and run it again.',
  );
}

/** A page to visit: its identity (see `SiteScope.identify`) and the URL to request for it. */
export interface FrontierPage {
  identity: string;
  requestUrl: string;
}

/**
 * The pages still to visit, breadth first: every page of depth n before any of depth
 * n + 1, each identity once (requested by the first URL seen for it), at the least depth
 * any link gives it. A page budget caps how many are handed out.
 */
export class CrawlFrontier {
  private readonly levels: FrontierPage[][] = [];
  /** Least depth each identity was queued at; a page is visited at that depth only. */
  private readonly depths = new Map<string, number>();
  /** Identities handed out or reached (as a redirect target): never queued again. */
  private readonly done = new Set<string>();
  private handedOut = 0;

  constructor(
    private readonly maxDepth: number,
    private readonly maxPages: number,
  ) {}

  /** Queues a page (already checked to be in scope and allowed); false when it is not (too deep, already known). */
  add(identity: string, requestUrl: string, depth: number): boolean {
    if (depth > this.maxDepth || this.done.has(identity)) return false;
    const queued = this.depths.get(identity);
    if (queued !== undefined && queued <= depth) return false;
    this.depths.set(identity, depth);
    (this.levels[depth] ??= []).push({ identity, requestUrl });
    return true;
  }

  /** Marks a page as visited without queueing it (the target a redirect reached). */
  markReached(identity: string): void {
    this.done.add(identity);
  }

  /** How many pages were handed out so far. */
  get visited(): number {
    return this.handedOut;
  }

  /** Pages queued but not handed out (after the budget ran out, the ones left unvisited). */
  get pending(): number {
    let count = 0;
    for (const [identity] of this.depths) if (!this.done.has(identity)) count += 1;
    return count;
  }

  /**
   * The pages of one depth, pulled one at a time while the budget lasts. The level may
   * still grow while it is being pulled from (a page found again at a lesser depth).
   */
  *level(depth: number): Generator<FrontierPage, void, undefined> {
    const pages = this.levels[depth] ?? [];
    for (let index = 0; index < pages.length; index += 1) {
      const page = pages[index]!;
      if (this.done.has(page.identity) || this.depths.get(page.identity) !== depth) continue;
      if (this.handedOut >= this.maxPages) return;
      this.done.add(page.identity);
      this.handedOut += 1;
      yield page;
    }
  }

  /** One more than the deepest level queued so far (levels grow while earlier ones are visited). */
  get levelCount(): number {
    return this.levels.length;
  }

  get budgetLeft(): boolean {
    return this.handedOut < this.maxPages;
  }
}

/**
 * The pages still to visit, breadth first: every page of depth n before any of depth
 * n + 1, each URL once, at the least depth any link gives it. A page budget caps how
 * many are handed out.
 */
export class CrawlFrontier {
  private readonly levels: string[][] = [];
  /** Least depth each URL was queued at; a URL is visited at that depth only. */
  private readonly depths = new Map<string, number>();
  /** URLs handed out or reached (as a redirect target): never queued again. */
  private readonly done = new Set<string>();
  private handedOut = 0;

  constructor(
    private readonly maxDepth: number,
    private readonly maxPages: number,
  ) {}

  /** Queues a URL (normalised, already checked to be in scope and allowed); false when it is not (too deep, already known). */
  add(url: string, depth: number): boolean {
    if (depth > this.maxDepth || this.done.has(url)) return false;
    const queued = this.depths.get(url);
    if (queued !== undefined && queued <= depth) return false;
    this.depths.set(url, depth);
    (this.levels[depth] ??= []).push(url);
    return true;
  }

  /** Marks a URL as visited without queueing it (the target a redirect reached). */
  markReached(url: string): void {
    this.done.add(url);
  }

  /** How many URLs were handed out so far. */
  get visited(): number {
    return this.handedOut;
  }

  /** URLs queued but not handed out (after the budget ran out, the ones left unvisited). */
  get pending(): number {
    let count = 0;
    for (const [url] of this.depths) if (!this.done.has(url)) count += 1;
    return count;
  }

  /**
   * The URLs of one depth, pulled one at a time while the budget lasts. The level may
   * still grow while it is being pulled from (a URL found again at a lesser depth).
   */
  *level(depth: number): Generator<string, void, undefined> {
    const urls = this.levels[depth] ?? [];
    for (let index = 0; index < urls.length; index += 1) {
      const url = urls[index]!;
      if (this.done.has(url) || this.depths.get(url) !== depth) continue;
      if (this.handedOut >= this.maxPages) return;
      this.done.add(url);
      this.handedOut += 1;
      yield url;
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

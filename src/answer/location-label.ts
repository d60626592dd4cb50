import type { Chunk } from '../core/chunk.js';

/** Where a chunk sits, in words a reader can follow: "page 3", "slide 2 · Laptops", "sheet Holidays". */
export function locationLabel(chunk: Pick<Chunk, 'location' | 'headingPath' | 'title'>): string {
  const parts: string[] = [];
  if (chunk.location.page !== undefined) parts.push(`page ${chunk.location.page}`);
  if (chunk.location.slide !== undefined) parts.push(`slide ${chunk.location.slide}`);
  if (chunk.location.sheet !== undefined) parts.push(`sheet ${chunk.location.sheet}`);
  const headings = chunk.headingPath.filter((heading) => heading !== chunk.title);
  if (headings.length > 0) parts.push(headings.join(' › '));
  return parts.join(' · ');
}

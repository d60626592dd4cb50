import { everyone, type Principal } from '../core/access.js';

/**
 * The principal sets a chunk must each share a principal with to be returned: the
 * asker's, then each other reader's (channel members), every one including `everyone`.
 *
 * Kept small because each set becomes one `array_has_any` clause inside the index query:
 * identical sets count once, and a set that contains another is dropped, since any chunk
 * readable through the smaller set is readable through the larger one. A 500-member
 * channel whose members fall into 20 group combinations costs at most 20 clauses; one
 * member who holds only `everyone` (a guest) reduces the whole filter to public documents.
 */
export function readerSets(principals: Principal[], audience: Principal[][] = []): Principal[][] {
  const distinct = new Map<string, Principal[]>();
  for (const set of [principals, ...audience]) {
    const normalized = [...new Set([everyone, ...set])].sort();
    distinct.set(normalized.join('\n'), normalized);
  }
  // Smaller sets first, so that every set's subsets are already kept when it is checked.
  const bySize = [...distinct.values()].sort((a, b) => a.length - b.length);
  const kept: Array<{ set: Principal[]; members: Set<Principal> }> = [];
  for (const set of bySize) {
    const members = new Set(set);
    if (kept.some((smaller) => smaller.set.every((principal) => members.has(principal)))) continue;
    kept.push({ set, members });
  }
  return kept.map((entry) => entry.set);
}

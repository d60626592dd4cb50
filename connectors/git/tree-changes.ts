import type { GitRepositoryHandle } from './git-process.js';
import { gitOutput } from './git-process.js';

/** What changed between two commits' trees. */
export interface TreeChanges {
  /** Paths in the newer tree whose content is new: added, modified, renamed or copied to, or turned into a file. */
  changedPaths: Set<string>;
  /** Paths gone from the newer tree (deleted, or the old side of a rename): for the run log; deletion itself goes through the id listing. */
  removedPaths: Set<string>;
}

/**
 * Compares two commits' trees with rename detection. The plumbing `diff-tree` is used
 * rather than `git diff --name-status`: same answer, but its output does not depend on
 * the user's diff settings (external diff tools, colour, rename limits shown as prose).
 * Trees are compared, not history, so the answer is right even when the new commit does
 * not descend from the old one (a force-push).
 */
export async function diffTrees(repository: GitRepositoryHandle, fromCommit: string, toCommit: string, signal: AbortSignal): Promise<TreeChanges> {
  const output = await gitOutput(repository, ['diff-tree', '-r', '-z', '--raw', '--no-abbrev', '-M', '--no-commit-id', fromCommit, toCommit], {
    signal,
    operation: 'comparing commits of',
  });
  return parseRawDiff(output.toString('utf8'));
}

/** Parses `--raw -z`: `:<old mode> <new mode> <old id> <new id> <status>` NUL path NUL [second path NUL]. */
export function parseRawDiff(output: string): TreeChanges {
  const changes: TreeChanges = { changedPaths: new Set(), removedPaths: new Set() };
  const fields = output.split('\0');
  let index = 0;
  while (index < fields.length) {
    const header = fields[index++]!;
    if (!header.startsWith(':')) continue;
    const [, newMode, , , status = ''] = header.slice(1).split(' ');
    const kind = status.charAt(0);
    const firstPath = fields[index++];
    if (firstPath === undefined) break;
    const secondPath = kind === 'R' || kind === 'C' ? fields[index++] : undefined;
    const newPath = secondPath ?? firstPath;
    if (kind === 'D') changes.removedPaths.add(firstPath);
    else {
      if (kind === 'R') changes.removedPaths.add(firstPath);
      if (newMode !== '000000') changes.changedPaths.add(newPath);
    }
  }
  return changes;
}

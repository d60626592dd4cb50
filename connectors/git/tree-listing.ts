import type { GitRepositoryHandle } from './git-process.js';
import { gitOutput } from './git-process.js';

/** A file in a commit's tree. */
export interface TreeFile {
  /** Path from the repository root, `/`-separated. */
  path: string;
  /** The blob's id: equal ids mean equal bytes. */
  objectId: string;
  /** Size in bytes, or undefined when git could not read the object (a damaged repository). */
  size: number | undefined;
}

/**
 * Lists the regular files of a commit with their blob ids and sizes, without reading any
 * file's content (`ls-tree -l` reads only object headers). Symbolic links and submodules
 * are left out: a link's blob is a path, not a document, and a submodule is another
 * repository.
 */
export async function listTreeFiles(repository: GitRepositoryHandle, commit: string, signal: AbortSignal): Promise<TreeFile[]> {
  const output = await gitOutput(repository, ['ls-tree', '-r', '-l', '-z', '--full-tree', commit], { signal, operation: 'listing the files of' });
  return parseTreeListing(output.toString('utf8'));
}

/** Parses `git ls-tree -r -l -z`: `<mode> <type> <id> <size>\t<path>` records ended by NUL. */
export function parseTreeListing(output: string): TreeFile[] {
  const files: TreeFile[] = [];
  for (const record of output.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, objectId, size] = record.slice(0, tab).split(/ +/);
    if (type !== 'blob' || (mode !== '100644' && mode !== '100755') || objectId === undefined) continue;
    files.push({ path: record.slice(tab + 1), objectId, size: size !== undefined && /^\d+$/.test(size) ? Number(size) : undefined });
  }
  return files;
}

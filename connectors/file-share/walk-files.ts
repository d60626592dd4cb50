import type { Dirent, BigIntStats } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';

/** Which files a share offers: globs, hidden names, excluded paths and symbolic links decide. */
export interface FileFilter {
  root: string;
  include?: string[] | undefined;
  exclude: string[];
  followSymlinks: boolean;
  /** Absolute paths never entered (Docent's data directory). */
  excludedPaths: string[];
}

export type WalkEntry =
  /** A file to offer; `status` only when the walk was asked to stat files. */
  | { type: 'file'; fullPath: string; relative: string; name: string; status?: BigIntStats }
  /** A file or folder that could not be examined; `folder` tells which. */
  | { type: 'unreadable'; fullPath: string; relative: string; folder: boolean; error: NodeJS.ErrnoException };

/** Stats taken at once within one folder: enough to hide a network share's latency, few enough to spare its server. */
const parallelStats = 32;

/**
 * Walks the share breadth-first in name order. Hidden files and folders (names starting
 * with a dot: editor, version-control and system files, not documents) are skipped, as
 * are excluded globs and paths and, unless followed, symbolic links; followed links to a
 * folder already walked are not walked twice, so a link loop ends.
 */
export async function* walkFiles(filter: FileFilter, options: { statFiles: boolean; signal?: AbortSignal }): AsyncGenerator<WalkEntry> {
  const isIncluded = filter.include ? picomatch(filter.include, { dot: false }) : () => true;
  const isExcluded = filter.exclude.length > 0 ? picomatch(filter.exclude, { dot: false }) : () => false;
  const excludedPaths = new Set(filter.excludedPaths.map((entry) => path.resolve(entry)));
  const visitedFolders = new Set<string>();
  const pending: string[] = [filter.root];
  while (pending.length > 0) {
    if (options.signal?.aborted) return;
    const folder = pending.shift()!;
    const folderRelative = toRelative(filter.root, folder);
    let entries: Dirent[];
    try {
      if (filter.followSymlinks) {
        const identity = await stat(folder, { bigint: true });
        const key = `${identity.dev}:${identity.ino}`;
        if (visitedFolders.has(key)) continue;
        visitedFolders.add(key);
      }
      entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (error) {
      yield { type: 'unreadable', fullPath: folder, relative: folderRelative || '.', folder: true, error: error as NodeJS.ErrnoException };
      continue;
    }
    const candidates: { entry: Dirent; fullPath: string; relative: string }[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const fullPath = path.join(folder, entry.name);
      if (excludedPaths.has(fullPath)) continue;
      const relative = folderRelative ? `${folderRelative}/${entry.name}` : entry.name;
      if (isExcluded(relative)) continue;
      if (entry.isSymbolicLink() && !filter.followSymlinks) continue;
      if (entry.isDirectory()) {
        pending.push(fullPath);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue;
      candidates.push({ entry, fullPath, relative });
    }
    for (let start = 0; start < candidates.length; start += parallelStats) {
      if (options.signal?.aborted) return;
      const slice = candidates.slice(start, start + parallelStats);
      const needsStat = (candidate: (typeof slice)[number]): boolean => options.statFiles || candidate.entry.isSymbolicLink();
      const statuses = await Promise.all(slice.map((candidate) => (needsStat(candidate) ? stat(candidate.fullPath, { bigint: true }).catch((error: NodeJS.ErrnoException) => error) : undefined)));
      for (const [position, candidate] of slice.entries()) {
        if (options.signal?.aborted) return;
        const status = statuses[position];
        if (status instanceof Error) {
          yield { type: 'unreadable', fullPath: candidate.fullPath, relative: candidate.relative, folder: false, error: status };
          continue;
        }
        if (status?.isDirectory()) {
          // A followed link to a folder.
          pending.push(candidate.fullPath);
          continue;
        }
        if (status && !status.isFile()) continue;
        if (!isIncluded(candidate.relative)) continue;
        const file: WalkEntry = { type: 'file', fullPath: candidate.fullPath, relative: candidate.relative, name: candidate.entry.name };
        if (status && options.statFiles) file.status = status;
        yield file;
      }
    }
  }
}

export function toRelative(root: string, fullPath: string): string {
  return path.relative(root, fullPath).split(path.sep).join('/');
}

import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { everyone } from '../core/access.js';
import { DocentError, describeError } from '../core/errors.js';
import type { SourceItem } from './source-item.js';

export interface FolderSourceOptions {
  /** Files larger than this are reported and skipped without being read. */
  maxFileBytes: number;
  followSymlinks: boolean;
  /** Paths never entered, such as Docent's own data directory. */
  excluded?: string[];
}

/** Source id of a folder: stable for the same absolute path. */
export function folderSourceId(root: string): string {
  return `folder:${path.resolve(root)}`;
}

/**
 * Walks a folder and yields every regular file as a document readable by everyone, or a
 * failure line for a file that is too large, unreadable or gone by the time it is read.
 * Hidden files and folders (names starting with a dot) are skipped: they are editor,
 * version-control and system files, not documents.
 */
export async function* readFolder(root: string, options: FolderSourceOptions): AsyncGenerator<SourceItem> {
  const absoluteRoot = path.resolve(root);
  const sourceId = folderSourceId(absoluteRoot);
  const excluded = new Set((options.excluded ?? []).map((entry) => path.resolve(entry)));
  let rootStatus;
  try {
    rootStatus = await stat(absoluteRoot);
  } catch (error) {
    throw new DocentError('source_unreachable', `cannot read the folder ${absoluteRoot}: ${describeError(error)}`, { cause: error });
  }
  if (!rootStatus.isDirectory()) throw new DocentError('source_unreachable', `${absoluteRoot} is not a folder`);

  const pending: string[] = [absoluteRoot];
  while (pending.length > 0) {
    const directory = pending.shift()!;
    let entries;
    try {
      entries = (await readdir(directory, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    } catch (error) {
      const relative = path.relative(absoluteRoot, directory) || '.';
      yield { failure: { documentId: `${sourceId}:${relative}`, location: directory, error: new DocentError('file_unreadable', `cannot list folder: ${describeError(error)}`) } };
      continue;
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const fullPath = path.join(directory, entry.name);
      if (excluded.has(fullPath)) continue;
      const relative = path.relative(absoluteRoot, fullPath).split(path.sep).join('/');
      const documentId = `${sourceId}:${relative}`;
      let status;
      try {
        status = entry.isSymbolicLink() && options.followSymlinks ? await stat(fullPath) : entry.isSymbolicLink() ? undefined : await stat(fullPath);
      } catch (error) {
        yield { failure: { documentId, location: fullPath, error: readError(error) } };
        continue;
      }
      if (!status) continue;
      if (status.isDirectory()) {
        pending.push(fullPath);
        continue;
      }
      if (!status.isFile()) continue;
      if (status.size > options.maxFileBytes) {
        yield {
          failure: {
            documentId,
            location: fullPath,
            error: new DocentError('file_too_large', `file is ${formatBytes(status.size)}, over the ${formatBytes(options.maxFileBytes)} limit (setting ingest.maxFileBytes, or DOCENT_INGEST_MAX_FILE_BYTES)`),
          },
        };
        continue;
      }
      let content: Buffer;
      try {
        content = await readFile(fullPath);
      } catch (error) {
        yield { failure: { documentId, location: fullPath, error: readError(error) } };
        continue;
      }
      yield {
        document: {
          id: documentId,
          sourceId,
          uri: fullPath,
          name: entry.name,
          content: new Uint8Array(content.buffer, content.byteOffset, content.byteLength),
          access: [everyone],
          modifiedAt: status.mtime.toISOString(),
        },
      };
    }
  }
}

function readError(error: unknown): DocentError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DocentError('file_vanished', 'file disappeared while the folder was being indexed');
  if (code === 'EACCES' || code === 'EPERM') return new DocentError('file_unreadable', 'permission denied', { retryable: false });
  return new DocentError('file_unreadable', `cannot read file: ${describeError(error)}`);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

import type { BigIntStats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import chokidar from 'chokidar';
import picomatch from 'picomatch';
import { everyone } from '../../src/core/access.js';
import type { Connector, ConnectorEnvironment, ConnectorItem, SyncContext } from '../../src/core/connector.js';
import { DocentError, describeError } from '../../src/core/errors.js';
import { formatBytes } from '../../src/core/format-bytes.js';
import type { FileShareConfig } from './config.js';
import { isMountPoint } from './mount-point.js';
import { PosixAccounts } from './posix-accounts.js';
import { PosixReaders, type FileReaders } from './posix-readers.js';
import { toRelative, walkFiles, type FileFilter } from './walk-files.js';

/** What a file share returns as its checkpoint: when the last complete load began (for the admin's eyes; versions decide what is read). */
export interface FileShareCheckpoint {
  [key: string]: string;
  loadedAt: string;
}

/**
 * A local folder or a mounted share. Each file's version is its permission mode, mtime,
 * ctime and size, and the search permissions of the folders above it: a file whose
 * version the index holds is neither read nor yielded, so a re-sync of an unchanged share
 * only lists folders and stats files. A chmod or chown changes the ctime, so a permission
 * change is seen and applied in place.
 */
export class FileShareConnector implements Connector<FileShareCheckpoint> {
  readonly sourceId: string;
  readonly allowEmpty: boolean;
  private readonly root: string;
  private readonly filter: FileFilter;
  private readonly maxBytes: number;

  constructor(
    private readonly config: FileShareConfig,
    private readonly environment: ConnectorEnvironment,
    sourceId: string,
  ) {
    this.sourceId = sourceId;
    this.allowEmpty = config.allowEmpty;
    this.root = path.resolve(config.path);
    this.filter = { root: this.root, include: config.include, exclude: config.exclude, followSymlinks: config.followSymlinks, excludedPaths: environment.excludedPaths ?? [] };
    this.maxBytes = config.maxFileBytes ?? environment.maxDocumentBytes;
  }

  async validate(): Promise<void> {
    let status;
    try {
      status = await stat(this.root);
    } catch (error) {
      throw new DocentError('source_unreachable', `cannot read the folder ${this.root}: ${describeError(error)}`, { cause: error, retryable: (error as NodeJS.ErrnoException).code !== 'ENOENT' });
    }
    if (!status.isDirectory()) throw new DocentError('source_unreachable', `${this.root} is not a folder`, { retryable: false });
    if (this.config.requireMountPoint && !(await isMountPoint(this.root))) {
      throw new DocentError('source_unreachable', `${this.root} is not a mount point, so the share is not mounted (the connector setting requireMountPoint is true); mount it and run again. Nothing was deleted.`);
    }
  }

  async *load(_checkpoint: FileShareCheckpoint | undefined, context: SyncContext): AsyncGenerator<ConnectorItem, FileShareCheckpoint, undefined> {
    const loadedAt = new Date().toISOString();
    await this.validate();
    const readers = this.config.permissions === 'posix' ? new PosixReaders(this.root, new PosixAccounts(this.config.passwdFile, this.config.groupFile)) : undefined;
    for await (const entry of walkFiles(this.filter, { statFiles: true, signal: context.signal })) {
      const documentId = this.documentId(entry.relative);
      if (entry.type === 'unreadable') {
        yield { failure: { documentId, location: entry.fullPath, error: entry.folder ? folderError(entry.error) : readError(entry.error) } };
        continue;
      }
      const status = entry.status!;
      let fileReaders: FileReaders | undefined;
      try {
        fileReaders = await readers?.of(entry.relative, status);
      } catch (error) {
        // A folder above the file vanished or cannot be examined: its readers are unknown, so it is not offered.
        yield { failure: { documentId, location: entry.fullPath, error: readError(error) } };
        continue;
      }
      const version = this.versionOf(status, fileReaders);
      if (context.indexedVersion(documentId) === version) continue;
      if (status.size > BigInt(this.maxBytes)) {
        yield { failure: { documentId, location: entry.fullPath, error: new DocentError('file_too_large', `file is ${formatBytes(Number(status.size))}, over the ${formatBytes(this.maxBytes)} limit (${this.limitSetting()})`) } };
        continue;
      }
      let content: Buffer;
      try {
        content = await readFile(entry.fullPath);
      } catch (error) {
        yield { failure: { documentId, location: entry.fullPath, error: readError(error) } };
        continue;
      }
      yield {
        document: {
          id: documentId,
          sourceId: this.sourceId,
          uri: entry.fullPath,
          name: entry.name,
          content: new Uint8Array(content.buffer, content.byteOffset, content.byteLength),
          access: fileReaders?.access ?? [everyone],
          modifiedAt: new Date(Number(status.mtimeMs)).toISOString(),
          version,
        },
      };
    }
    return { loadedAt };
  }

  async *listIds(context: SyncContext): AsyncIterable<string> {
    await this.validate();
    for await (const entry of walkFiles(this.filter, { statFiles: false, signal: context.signal })) {
      if (entry.type === 'file') {
        yield this.documentId(entry.relative);
        continue;
      }
      const code = entry.error.code;
      // Gone, or closed to Docent: its documents go too. Anything else (a network error) might hide files that exist.
      if (code === 'ENOENT' || code === 'EACCES' || code === 'EPERM') {
        if (!entry.folder) yield this.documentId(entry.relative);
        continue;
      }
      throw new DocentError('source_unreachable', `cannot list ${entry.fullPath}: ${describeError(entry.error)}; nothing was deleted`, { cause: entry.error });
    }
    if (context.signal.aborted) throw new DocentError('source_unreachable', 'listing was interrupted; nothing was deleted', { retryable: true });
  }

  async watch(onChange: () => void, signal: AbortSignal): Promise<void> {
    await this.validate();
    const isIncluded = this.filter.include ? picomatch(this.filter.include, { dot: false }) : () => true;
    const isExcluded = this.filter.exclude.length > 0 ? picomatch(this.filter.exclude, { dot: false }) : () => false;
    const excludedPaths = this.filter.excludedPaths.map((entry) => path.resolve(entry));
    const watcher = chokidar.watch(this.root, {
      ignoreInitial: true,
      followSymlinks: this.config.followSymlinks,
      ignored: (fullPath, status) => {
        const relative = toRelative(this.root, fullPath);
        if (relative === '') return false;
        if (relative.split('/').some((part) => part.startsWith('.'))) return true;
        if (excludedPaths.some((excluded) => fullPath === excluded || fullPath.startsWith(`${excluded}${path.sep}`))) return true;
        if (isExcluded(relative)) return true;
        return status?.isFile() === true && !isIncluded(relative);
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const changed = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        if (!signal.aborted) onChange();
      }, this.config.watchDebounceMs);
    };
    watcher.on('all', changed);
    try {
      await new Promise<void>((resolve, reject) => {
        if (signal.aborted) return resolve();
        signal.addEventListener('abort', () => resolve(), { once: true });
        watcher.on('error', (error) => {
          const code = (error as NodeJS.ErrnoException).code;
          // Out of inotify watches or file handles: the watch would silently miss changes, so it stops loudly.
          if (code === 'ENOSPC' || code === 'EMFILE') reject(new DocentError('source_unreachable', `cannot watch ${this.root}: ${describeError(error)} (raise fs.inotify.max_user_watches, or rely on the schedule)`, { cause: error }));
        });
      });
    } finally {
      if (timer) clearTimeout(timer);
      await watcher.close();
    }
  }

  private documentId(relative: string): string {
    return `${this.sourceId}:${relative}`;
  }

  private versionOf(status: BigIntStats, readers: FileReaders | undefined): string {
    // The permission mode is part of the version: switching it must re-apply every file's
    // readers; so are the folders' search bits, owners and groups above the file.
    const folders = readers?.foldersFingerprint ? `:${readers.foldersFingerprint}` : '';
    return `${this.config.permissions}:${status.mtimeNs}:${status.ctimeNs}:${status.size}${folders}`;
  }

  private limitSetting(): string {
    if (this.config.maxFileBytes !== undefined) return 'connector setting maxFileBytes';
    return `setting ${this.environment.maxDocumentBytesSetting ?? 'ingest.maxFileBytes'}`;
  }
}

function readError(error: unknown): DocentError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DocentError('file_vanished', 'file disappeared while the folder was being indexed');
  if (code === 'EACCES' || code === 'EPERM') return new DocentError('file_unreadable', 'permission denied', { retryable: false });
  return new DocentError('file_unreadable', `cannot read file: ${describeError(error)}`);
}

function folderError(error: NodeJS.ErrnoException): DocentError {
  if (error.code === 'ENOENT') return new DocentError('file_vanished', 'folder disappeared while it was being indexed');
  return new DocentError('file_unreadable', `cannot list folder: ${describeError(error)}`, { retryable: error.code !== 'EACCES' && error.code !== 'EPERM' });
}

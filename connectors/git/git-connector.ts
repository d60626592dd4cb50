import { posix } from 'node:path';
import type { Connector, ConnectorDocument, ConnectorEnvironment, ConnectorItem, SyncContext } from '../../src/core/connector.js';
import { connectorSourceId } from '../../src/core/connector.js';
import type { DocumentFailure } from '../../src/core/document.js';
import { DocentError, describeError } from '../../src/core/errors.js';
import { formatBytes } from '../../src/core/format-bytes.js';
import { openBlobReader } from './blob-reader.js';
import { documentLink } from './document-link.js';
import { createReadersOf, type ReadersOf } from './document-readers.js';
import { maximumRetriedPaths, readCheckpoint, settingsDigest, type GitCheckpoint } from './git-checkpoint.js';
import type { GitConnectorConfig } from './git-connector-config.js';
import { buildGitEnvironment } from './git-environment.js';
import { runGit } from './git-process.js';
import { requireGitVersion } from './git-version.js';
import { lastChangeDates } from './last-change-dates.js';
import { createPathFilter, type PathFilter } from './path-filter.js';
import { parseRepositoryAddress, type RepositoryAddress } from './repository-address.js';
import { openRepositoryCopy, type BranchHead, type RepositoryCopy } from './repository-copy.js';
import { listTreeFiles, type TreeFile } from './tree-listing.js';
import { diffTrees } from './tree-changes.js';

export const gitConnectorKind = 'git';

/** The first line of a Git LFS pointer: the real file lives on an LFS server this connector does not read. */
const lfsPointerPrefix = Buffer.from('version https://git-lfs.github.com/spec/v1\n');

/**
 * Indexes the Markdown, text and document files of one branch of a Git repository,
 * incrementally by commit: the checkpoint is the commit indexed, and the next run reads
 * only the files a tree diff says were added or changed since. A file's version is its
 * blob id (plus its configured readers), so a file whose bytes are already indexed is
 * never read again, whatever happened to the history.
 */
export class GitConnector implements Connector<GitCheckpoint> {
  readonly sourceId: string;
  readonly allowEmpty: boolean;
  private readonly address: RepositoryAddress;
  private readonly filter: PathFilter;
  private readonly readersOf: ReadersOf;

  constructor(
    private readonly config: GitConnectorConfig,
    private readonly environment: ConnectorEnvironment,
  ) {
    this.sourceId = environment.sourceId ?? connectorSourceId(gitConnectorKind, environment.name);
    this.allowEmpty = config.allowEmpty;
    const address = parseRepositoryAddress(config.repository);
    if (typeof address === 'string') throw new DocentError('config_invalid', `repository: ${address}`, { retryable: false });
    this.address = address;
    this.filter = createPathFilter(config.include, config.exclude);
    this.readersOf = createReadersOf(config);
  }

  async validate(signal: AbortSignal): Promise<void> {
    const copy = this.openCopy();
    await requireGitVersion(copy.handle, signal);
    await copy.check(signal);
  }

  async *load(checkpoint: GitCheckpoint | undefined, context: SyncContext): AsyncGenerator<ConnectorItem, GitCheckpoint, undefined> {
    const previous = readCheckpoint(checkpoint);
    // What an aborted run returns: a sync discards it, and if one kept it anyway the next
    // run would start where this one did (an empty commit reads as no checkpoint at all).
    const unchanged: GitCheckpoint = previous ?? { commit: '', settings: '', retry: [] };
    try {
      return (yield* this.loadChanges(previous, context)) ?? unchanged;
    } catch (error) {
      if (context.signal.aborted) return unchanged;
      throw error;
    }
  }

  /** The load itself; undefined when the run was aborted between documents. */
  private async *loadChanges(previous: GitCheckpoint | undefined, context: SyncContext): AsyncGenerator<ConnectorItem, GitCheckpoint | undefined, undefined> {
    const { signal } = context;
    const copy = this.openCopy();
    if (this.address.transport === 'http' && this.address.location.startsWith('http:') && this.config.credentials !== undefined) {
      context.log('warning: the repository token is sent over unencrypted http');
    }
    const head = await copy.update(signal);
    const files = (await listTreeFiles(copy.handle, head.commit, signal)).filter((file) => this.filter(file.path));
    const settings = settingsDigest(this.config, this.environment.maxDocumentBytes);
    const candidates = await this.changedFiles(copy, previous, settings, head, files, context);
    const pending = candidates.filter((file) => context.indexedVersion(this.documentId(file.path)) !== this.version(file));
    if (pending.length < candidates.length) context.log(`${candidates.length - pending.length} of them already indexed at the same version`);

    const readable = pending.filter((file) => file.size !== undefined && file.size <= this.environment.maxDocumentBytes);
    const dates = await lastChangeDates(copy.handle, head.commit, readable.map((file) => file.path), signal);
    const retry: string[] = [];
    const reader = openBlobReader(copy.handle, signal);
    try {
      for (const file of pending) {
        if (signal.aborted) return undefined;
        const item = await this.readFile(file, head, dates, reader.read, signal);
        if ('failure' in item && item.failure.error.retryable) retry.push(file.path);
        yield item;
      }
    } finally {
      await reader.close();
    }
    if (retry.length > maximumRetriedPaths) context.log(`${retry.length} files failed; only the first ${maximumRetriedPaths} are retried before they change`);
    return { commit: head.commit, settings, retry: retry.slice(0, maximumRetriedPaths) };
  }

  async *listIds(context: SyncContext): AsyncIterable<string> {
    // The tip is fetched again rather than remembered from `load`: a listing older than
    // what another worker indexed would delete documents that still exist.
    const interrupted = () => new DocentError('source_unreachable', `listing ${this.address.location} was interrupted; nothing may be deleted`);
    let files: TreeFile[];
    try {
      const copy = this.openCopy();
      const head = await copy.update(context.signal);
      files = await listTreeFiles(copy.handle, head.commit, context.signal);
    } catch (error) {
      if (context.signal.aborted) throw interrupted();
      throw error;
    }
    for (const file of files) {
      if (context.signal.aborted) throw interrupted();
      if (this.filter(file.path)) yield this.documentId(file.path);
    }
  }

  /** The files to consider this run: a diff against the checkpoint when it can be trusted, else every file. */
  private async changedFiles(
    copy: RepositoryCopy,
    previous: GitCheckpoint | undefined,
    settings: string,
    head: BranchHead,
    files: TreeFile[],
    context: SyncContext,
  ): Promise<TreeFile[]> {
    const at = `${head.branch} at ${head.commit.slice(0, 12)}`;
    if (previous === undefined) {
      context.log(`first run: ${files.length} matching files on ${at}`);
      return files;
    }
    if (previous.settings !== settings) {
      context.log(`settings changed since the last run: listing all ${files.length} matching files on ${at}`);
      return files;
    }
    const retried = new Set(previous.retry);
    if (previous.commit === head.commit) {
      context.log(`no new commit on ${at}${retried.size > 0 ? `; retrying ${retried.size} failed files` : ''}`);
      return files.filter((file) => retried.has(file.path));
    }
    const known = await runGit(copy.handle, ['cat-file', '-e', `${previous.commit}^{commit}`], { signal: context.signal, operation: 'looking up a commit in' });
    if (known.exitCode !== 0) {
      context.log(`the indexed commit ${previous.commit.slice(0, 12)} is gone (history rewritten): listing all ${files.length} matching files on ${at}`);
      return files;
    }
    const changes = await diffTrees(copy.handle, previous.commit, head.commit, context.signal);
    const changed = files.filter((file) => changes.changedPaths.has(file.path) || retried.has(file.path));
    context.log(`${previous.commit.slice(0, 12)}..${head.commit.slice(0, 12)} on ${head.branch}: ${changed.length} matching files added or changed, ${changes.removedPaths.size} paths removed`);
    return changed;
  }

  private async readFile(
    file: TreeFile,
    head: BranchHead,
    dates: Map<string, string>,
    read: (objectId: string) => Promise<Buffer | undefined>,
    signal: AbortSignal,
  ): Promise<ConnectorItem> {
    const id = this.documentId(file.path);
    const uri = documentLink(this.config.webUrl, this.address, { branch: head.branch, commit: head.commit, path: file.path });
    const failure = (error: DocentError): { failure: DocumentFailure } => ({ failure: { documentId: id, location: uri, error } });
    if (file.size === undefined) return failure(new DocentError('file_unreadable', `the object ${file.objectId} of ${file.path} cannot be read from the repository`));
    const limit = this.environment.maxDocumentBytes;
    if (file.size > limit) {
      const setting = this.environment.maxDocumentBytesSetting === undefined ? '' : ` (${this.environment.maxDocumentBytesSetting})`;
      return failure(new DocentError('file_too_large', `${file.path} is ${formatBytes(file.size)}, over the ${formatBytes(limit)} limit${setting}`, { retryable: false }));
    }
    let content: Buffer | undefined;
    try {
      content = await read(file.objectId);
    } catch (error) {
      if (signal.aborted) throw error;
      return failure(new DocentError('file_unreadable', `${file.path}: ${describeError(error)}`, { cause: error }));
    }
    if (content === undefined) return failure(new DocentError('file_unreadable', `the object ${file.objectId} of ${file.path} is missing from the repository`));
    if (content.length < 1024 && content.subarray(0, lfsPointerPrefix.length).equals(lfsPointerPrefix)) {
      return failure(new DocentError('format_unsupported', `${file.path} is stored in Git LFS, whose server this connector does not read`, { retryable: false }));
    }
    const document: ConnectorDocument = {
      id,
      sourceId: this.sourceId,
      uri,
      name: posix.basename(file.path),
      content,
      access: [...this.readersOf(file.path).access],
      modifiedAt: dates.get(file.path) ?? head.committedAt,
      version: this.version(file),
    };
    return { document };
  }

  private documentId(path: string): string {
    return `${this.sourceId}:${path}`;
  }

  private version(file: TreeFile): string {
    return `${file.objectId}:${this.readersOf(file.path).digest}`;
  }

  /** The token is read from the environment at each run, so a rotated token needs no restart. */
  private openCopy(): RepositoryCopy {
    return openRepositoryCopy({
      address: this.address,
      branch: this.config.branch,
      environment: buildGitEnvironment(this.address, this.config.credentials, this.environment.env),
      cacheDirectory: this.environment.cacheDirectory,
      timeoutMs: this.config.timeoutSeconds * 1000,
    });
  }
}

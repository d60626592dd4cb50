import { createHash } from 'node:crypto';
import { access, mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { DocentError } from '../../src/core/errors.js';
import type { GitEnvironment } from './git-environment.js';
import { gitFailure } from './git-failure.js';
import { gitOutput, runGit, type GitRepositoryHandle } from './git-process.js';
import type { RepositoryAddress } from './repository-address.js';

/** The tip of the indexed branch at the start of a run. */
export interface BranchHead {
  /** The branch name without `refs/heads/`. */
  branch: string;
  /** The commit id (40 hex digits, or 64 in a SHA-256 repository). */
  commit: string;
  /** The commit's committer date, ISO 8601 in UTC. */
  committedAt: string;
}

/**
 * The repository as this worker reads it: in place for a local path, or a bare copy in
 * the cache folder for a URL, fetched at the start of every run. The copy holds only the
 * indexed branch's history (no tags, no other branches), and lives in a folder named
 * after the URL so that changing the URL never reads another repository's objects.
 */
export interface RepositoryCopy {
  /** Runs commands against the local objects: listing, diffs, blobs, history. */
  readonly handle: GitRepositoryHandle;
  /** Checks that the repository answers, accepts our credentials and has the branch; downloads nothing. */
  check(signal: AbortSignal): Promise<void>;
  /** Brings the copy up to date (a fetch for a URL) and resolves the branch's tip. */
  update(signal: AbortSignal): Promise<BranchHead>;
}

export interface RepositoryCopySettings {
  address: RepositoryAddress;
  /** The configured branch; the remote's default branch when undefined. */
  branch: string | undefined;
  environment: GitEnvironment;
  cacheDirectory: string;
  timeoutMs: number;
}

export function openRepositoryCopy(settings: RepositoryCopySettings): RepositoryCopy {
  return settings.address.transport === 'local' ? new LocalRepository(settings) : new MirroredRepository(settings);
}

class LocalRepository implements RepositoryCopy {
  readonly handle: GitRepositoryHandle;

  constructor(private readonly settings: RepositoryCopySettings) {
    const location = settings.address.location;
    this.handle = {
      // The repository may belong to another user (a mounted share): git refuses to read
      // such a repository unless it is named safe, which only the command line can do here.
      leadingArguments: ['-c', `safe.directory=${location}`, '-C', location],
      environment: settings.environment,
      label: location,
      timeoutMs: settings.timeoutMs,
    };
  }

  async check(signal: AbortSignal): Promise<void> {
    await this.update(signal);
  }

  async update(signal: AbortSignal): Promise<BranchHead> {
    await gitOutput(this.handle, ['rev-parse', '--git-dir'], { signal, operation: 'opening' });
    const branch = this.settings.branch ?? (await this.checkedOutBranch(signal));
    return readBranchHead(this.handle, branch, signal);
  }

  private async checkedOutBranch(signal: AbortSignal): Promise<string> {
    const result = await runGit(this.handle, ['symbolic-ref', '--quiet', 'HEAD'], { signal, operation: 'reading the default branch of' });
    const reference = result.stdout.toString('utf8').trim();
    if (result.exitCode !== 0 || !reference.startsWith('refs/heads/')) {
      throw new DocentError('source_unreachable', `${this.handle.label} has no current branch (its HEAD is detached); set the connector's branch`, { retryable: false });
    }
    return reference.slice('refs/heads/'.length);
  }
}

class MirroredRepository implements RepositoryCopy {
  readonly handle: GitRepositoryHandle;
  private readonly mirrorDirectory: string;

  constructor(private readonly settings: RepositoryCopySettings) {
    const key = createHash('sha256').update(settings.address.location).digest('hex').slice(0, 16);
    this.mirrorDirectory = path.join(settings.cacheDirectory, `git-${key}.git`);
    this.handle = {
      // The copy is ours: no hook an admin's template might install runs in it.
      leadingArguments: ['--git-dir', this.mirrorDirectory, '-c', 'core.hooksPath=/dev/null'],
      environment: settings.environment,
      label: settings.address.location,
      timeoutMs: settings.timeoutMs,
    };
  }

  async check(signal: AbortSignal): Promise<void> {
    await this.ensureMirror(signal);
    const configured = this.settings.branch;
    const advertised = await this.remoteReferences(configured === undefined ? ['HEAD'] : ['HEAD', `refs/heads/${configured}`], signal);
    if (configured !== undefined) {
      if (!advertised.references.has(`refs/heads/${configured}`)) throw missingBranch(this.handle.label, configured);
    } else if (advertised.defaultBranch === undefined || !advertised.references.has('HEAD')) {
      // HEAD names a branch with no commit yet (an empty repository), or names none at all.
      throw noDefaultBranch(this.handle.label);
    }
  }

  async update(signal: AbortSignal): Promise<BranchHead> {
    await this.ensureMirror(signal);
    let branch = this.settings.branch;
    if (branch === undefined) {
      branch = (await this.remoteReferences(['HEAD'], signal)).defaultBranch;
      if (branch === undefined) throw noDefaultBranch(this.handle.label);
    }
    const result = await runGit(
      this.handle,
      ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head', '--force', '--', this.settings.address.location, `+refs/heads/${branch}:refs/heads/${branch}`],
      { signal, operation: 'fetching' },
    );
    if (result.exitCode !== 0) {
      if (/couldn't find remote ref/i.test(result.detail)) throw missingBranch(this.handle.label, branch);
      throw gitFailure(this.handle.label, 'fetching', result.detail, result.standardError);
    }
    return readBranchHead(this.handle, branch, signal);
  }

  /** What the server advertises for the given patterns, and the branch its HEAD points to. */
  private async remoteReferences(patterns: string[], signal: AbortSignal): Promise<{ references: Set<string>; defaultBranch: string | undefined }> {
    const output = await gitOutput(this.handle, ['ls-remote', '--symref', '--', this.settings.address.location, ...patterns], { signal, operation: 'contacting' });
    const references = new Set<string>();
    let defaultBranch: string | undefined;
    for (const line of output.toString('utf8').split('\n')) {
      const symbolic = /^ref: refs\/heads\/(.+)\tHEAD$/.exec(line);
      if (symbolic) defaultBranch = symbolic[1];
      else if (line.includes('\t')) references.add(line.slice(line.indexOf('\t') + 1));
    }
    return { references, defaultBranch };
  }

  /**
   * Creates the bare copy on first use. It is initialised under a temporary name and
   * renamed into place, so that a worker that stops half-way never leaves a broken copy
   * behind, and two workers starting at once do not trip over each other.
   */
  private async ensureMirror(signal: AbortSignal): Promise<void> {
    if (await exists(path.join(this.mirrorDirectory, 'HEAD'))) return;
    await rm(this.mirrorDirectory, { recursive: true, force: true });
    await mkdir(this.settings.cacheDirectory, { recursive: true });
    const temporary = await mkdtemp(`${this.mirrorDirectory}.partial-`);
    try {
      const initialiser: GitRepositoryHandle = { ...this.handle, leadingArguments: [] };
      await gitOutput(initialiser, ['init', '--quiet', '--bare', '--', temporary], { signal, operation: 'creating a local copy of' });
      await rename(temporary, this.mirrorDirectory).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOTEMPTY' && error.code !== 'EEXIST') throw error;
      });
    } finally {
      await rm(temporary, { recursive: true, force: true });
    }
  }
}

async function readBranchHead(handle: GitRepositoryHandle, branch: string, signal: AbortSignal): Promise<BranchHead> {
  const result = await runGit(handle, ['log', '-1', '--format=%H%x00%cI', `refs/heads/${branch}`, '--'], { signal, operation: 'reading the branch of' });
  const [commit, date] = result.stdout.toString('utf8').trim().split('\0');
  if (result.exitCode !== 0 || commit === undefined || date === undefined || !/^[0-9a-f]{40,64}$/.test(commit)) {
    if (/unknown revision|bad revision|ambiguous argument/i.test(result.detail)) throw missingBranch(handle.label, branch);
    throw gitFailure(handle.label, 'reading the branch of', result.detail, result.standardError);
  }
  return { branch, commit, committedAt: new Date(date).toISOString() };
}

function missingBranch(repository: string, branch: string): DocentError {
  return new DocentError('source_unreachable', `the branch "${branch}" does not exist in ${repository}`, { retryable: false });
}

function noDefaultBranch(repository: string): DocentError {
  return new DocentError('source_unreachable', `${repository} has no default branch (it may be empty); set the connector's branch`, { retryable: false });
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

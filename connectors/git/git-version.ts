import { DocentError } from '../../src/core/errors.js';
import { gitOutput, type GitRepositoryHandle } from './git-process.js';

/** Credentials travel as `GIT_CONFIG_COUNT` variables, which git reads from 2.31 on. */
export const minimumGitVersion: readonly [number, number] = [2, 31];

/** Throws when the installed git is older than the connector needs (an older one would silently ignore the token). */
export async function requireGitVersion(repository: GitRepositoryHandle, signal: AbortSignal): Promise<void> {
  const output = (await gitOutput({ ...repository, leadingArguments: [] }, ['version'], { signal, operation: 'checking git for' })).toString('utf8');
  const match = /git version (\d+)\.(\d+)/.exec(output);
  const [major, minor] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  const [neededMajor, neededMinor] = minimumGitVersion;
  if (major < neededMajor || (major === neededMajor && minor < neededMinor)) {
    throw new DocentError('internal', `the Git connector needs git ${neededMajor}.${neededMinor} or newer; this machine has "${output.trim()}"`, { retryable: false });
  }
}

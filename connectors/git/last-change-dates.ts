import { completion, startGit, type GitRepositoryHandle } from './git-process.js';

/**
 * How far back the history is walked for modification dates. Walking stops as soon as
 * every asked-for path is found, usually after a few commits; the cap bounds the first run
 * of a very long history, whose files then go without a date rather than a wrong one.
 */
export const defaultHistoryWalkLimit = 10_000;

/**
 * The date of the last commit that changed each of `paths`, walking back from `commit`
 * through one `git log --name-only`. Renames are not followed: a renamed file's date is
 * the rename's, which is when the document at that path appeared.
 */
export async function lastChangeDates(
  repository: GitRepositoryHandle,
  commit: string,
  paths: Iterable<string>,
  signal: AbortSignal,
  historyWalkLimit = defaultHistoryWalkLimit,
): Promise<Map<string, string>> {
  const wanted = new Set(paths);
  const dates = new Map<string, string>();
  if (wanted.size === 0) return dates;
  const child = startGit(
    repository,
    ['log', '--format=%x1e%cI', '--name-only', '-z', '--no-renames', `--max-count=${historyWalkLimit}`, commit, '--'],
    signal,
    'ignore',
  );
  child.stderr.resume();
  const exited = completion(child, repository, { signal, operation: 'reading the history of' });
  let currentDate: string | undefined;
  let partial = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout as AsyncIterable<string>) {
    const fields = (partial + chunk).split('\0');
    partial = fields.pop() ?? '';
    for (const raw of fields) {
      const field = raw.startsWith('\n') ? raw.slice(1) : raw;
      if (field.startsWith('\x1e')) {
        currentDate = new Date(field.slice(1)).toISOString();
      } else if (currentDate !== undefined && wanted.delete(field)) {
        dates.set(field, currentDate);
      }
    }
    if (wanted.size === 0) {
      child.kill();
      break;
    }
  }
  try {
    await exited;
  } catch (error) {
    // A history that cannot be read in time costs the dates, not the run; an abort still stops it.
    if (signal.aborted) throw error;
  }
  return dates;
}

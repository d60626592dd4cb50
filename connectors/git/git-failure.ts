import { DocentError } from '../../src/core/errors.js';

/**
 * Messages (with `LC_ALL=C`) by which git, curl and ssh say that the server refused who
 * we are. The exact wording differs by server (GitHub, GitLab, Bitbucket, Gitea, sshd).
 */
const credentialPatterns = [
  /Authentication failed/i,
  /could not read (Username|Password)/i,
  /terminal prompts disabled/i,
  /Permission denied \(publickey/i,
  /Host key verification failed/i,
  /HTTP Basic: Access denied/i,
  /returned error: 40[13]\b/i,
  /Invalid username or (password|token)/i,
  /access denied/i,
];

/** The repository or branch is not there: trying again will not make it appear. */
const missingPatterns = [
  /Repository not found/i,
  /repository '[^']*' not found/i,
  /does not appear to be a git repository/i,
  /not a git repository/i,
  /returned error: 404\b/i,
  /couldn't find remote ref/i,
  /No such file or directory/i,
  /cannot change to/i,
  /project you were looking for could not be found/i,
];

/**
 * Turns a failed git command into the error a sync understands: `credentials_rejected`
 * needs an admin and is not retried; `source_unreachable` is retried unless the
 * repository or branch is missing altogether. `detail` is git's own last message line
 * and `standardError` all it said (ssh speaks without a `fatal:` prefix), both already
 * cleaned of secrets.
 */
export function gitFailure(repository: string, operation: string, detail: string, standardError = detail): DocentError {
  const message = `${operation} ${repository} failed: ${detail}`;
  if (credentialPatterns.some((pattern) => pattern.test(standardError))) {
    return new DocentError('credentials_rejected', `${operation} ${repository} was refused: the credentials were not accepted (${detail})`, { retryable: false });
  }
  if (missingPatterns.some((pattern) => pattern.test(standardError))) {
    return new DocentError('source_unreachable', message, { retryable: false });
  }
  return new DocentError('source_unreachable', message, { retryable: true });
}

/** The most telling line of git's standard error: the last `fatal:`/`error:` line, else the last line. */
export function gitErrorDetail(standardError: string): string {
  const lines = standardError
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  const telling = lines.filter((line) => /^(fatal|error|remote):/i.test(line));
  const chosen = telling.length > 0 ? telling : lines;
  const detail = chosen.slice(-2).join(' / ');
  return detail.length > 0 ? detail.slice(0, 500) : 'git exited without saying why';
}

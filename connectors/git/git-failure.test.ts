import { describe, expect, it } from 'vitest';
import { gitErrorDetail, gitFailure } from './git-failure.js';

describe('gitFailure', () => {
  it.each([
    ["fatal: could not read Username for 'https://git.corp': terminal prompts disabled", 'credentials_rejected', false],
    ["remote: HTTP Basic: Access denied\nfatal: Authentication failed for 'https://gitlab.corp/team/handbook.git/'", 'credentials_rejected', false],
    ['git@git.corp: Permission denied (publickey).\nfatal: Could not read from remote repository.', 'credentials_rejected', false],
    ["fatal: unable to access 'https://git.corp/x.git/': The requested URL returned error: 403", 'credentials_rejected', false],
    ["fatal: repository 'https://git.corp/nope.git/' not found", 'source_unreachable', false],
    ['ERROR: Repository not found.\nfatal: Could not read from remote repository.', 'source_unreachable', false],
    ["fatal: couldn't find remote ref refs/heads/release", 'source_unreachable', false],
    ["fatal: unable to access 'https://git.corp/x.git/': Could not resolve host: git.corp", 'source_unreachable', true],
    ["fatal: unable to access 'http://127.0.0.1:1/x.git/': Failed to connect to 127.0.0.1 port 1: Couldn't connect to server", 'source_unreachable', true],
    ['fatal: the remote end hung up unexpectedly', 'source_unreachable', true],
  ])('classifies %j', (standardError, code, retryable) => {
    const error = gitFailure('https://git.corp/x.git', 'fetching', gitErrorDetail(standardError), standardError);
    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.message).toContain('https://git.corp/x.git');
  });

  it('keeps the telling lines of git\'s output', () => {
    expect(gitErrorDetail('Cloning...\nremote: Counting objects\nfatal: early EOF\n')).toBe('remote: Counting objects / fatal: early EOF');
    expect(gitErrorDetail('')).toBe('git exited without saying why');
  });
});

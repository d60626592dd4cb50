import { describe, expect, it } from 'vitest';
import { defaultIncludePatterns, gitConnectorConfigSchema } from './git-connector-config.js';
import { parseRepositoryAddress } from './repository-address.js';

describe('gitConnectorConfigSchema', () => {
  it('fills in the defaults', () => {
    const config = gitConnectorConfigSchema.parse({ repository: 'https://git.corp/team/handbook.git' });
    expect(config.include).toEqual(defaultIncludePatterns);
    expect(config.exclude).toEqual(['**/node_modules/**']);
    expect(config.access).toEqual(['everyone']);
    expect(config.accessByPath).toEqual([]);
    expect(config.branch).toBeUndefined();
    expect(config.timeoutSeconds).toBe(600);
  });

  it.each([
    ['relative/path', /absolute path or a URL/],
    ['https://user:token@git.corp/x.git', /must not contain a password or token/],
    ['ext::sh -c touch% /tmp/pwned', /absolute path or a URL|not allowed/],
    ['--upload-pack=touch /tmp/pwned', /cannot start with "-"/],
    ['ftp://git.corp/x.git', /scheme is not allowed/],
    ['file://host/x.git', /no host/],
  ])('refuses the repository %j', (repository, message) => {
    const result = gitConnectorConfigSchema.safeParse({ repository });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.message).join(' ')).toMatch(message);
  });

  it.each(['-f', 'a..b', 'with space', 'ends/', 'x.lock', 'a:b'])('refuses the branch %j', (branch) => {
    expect(gitConnectorConfigSchema.safeParse({ repository: '/srv/git/x.git', branch }).success).toBe(false);
  });

  it('accepts nested branch names and normalises principals', () => {
    const config = gitConnectorConfigSchema.parse({ repository: '/srv/git/x.git', branch: 'release/2024-q1', access: ['Group:HR', 'EVERYONE'] });
    expect(config.branch).toBe('release/2024-q1');
    expect(config.access).toEqual(['group:hr', 'everyone']);
  });

  it('refuses a token for a transport that cannot use one, a web link without {path}, and unknown keys', () => {
    expect(gitConnectorConfigSchema.safeParse({ repository: 'git@git.corp:team/x.git', credentials: { tokenVariable: 'T' } }).success).toBe(false);
    expect(gitConnectorConfigSchema.safeParse({ repository: '/srv/git/x.git', webUrl: 'https://git.corp/{repo}' }).success).toBe(false);
    expect(gitConnectorConfigSchema.safeParse({ repository: '/srv/git/x.git', token: 'abc' }).success).toBe(false);
    expect(gitConnectorConfigSchema.safeParse({ repository: '/srv/git/x.git', credentials: { tokenVariable: 'not a name' } }).success).toBe(false);
  });
});

describe('parseRepositoryAddress', () => {
  it.each([
    ['/srv/git/handbook.git', 'local', 'handbook', undefined],
    ['file:///srv/git/handbook.git', 'file', 'handbook', undefined],
    ['https://git.corp/team/handbook.git', 'http', 'team/handbook', 'https://git.corp/'],
    ['http://git.corp:8080/team/handbook', 'http', 'team/handbook', 'http://git.corp:8080/'],
    ['ssh://git@git.corp:2222/team/handbook.git', 'ssh', 'team/handbook', undefined],
    ['git@git.corp:team/handbook.git', 'ssh', 'team/handbook', undefined],
    ['git://git.corp/handbook.git', 'git', 'handbook', undefined],
  ])('reads %j', (value, transport, repositoryPath, httpOrigin) => {
    const address = parseRepositoryAddress(value);
    expect(typeof address).toBe('object');
    expect(address).toMatchObject({ transport, repositoryPath, location: value });
    expect((address as { httpOrigin?: string }).httpOrigin).toBe(httpOrigin);
  });
});

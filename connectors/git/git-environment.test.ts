import { describe, expect, it } from 'vitest';
import { buildGitEnvironment, withoutSecrets } from './git-environment.js';
import { parseRepositoryAddress, type RepositoryAddress } from './repository-address.js';

function address(value: string): RepositoryAddress {
  const parsed = parseRepositoryAddress(value);
  if (typeof parsed === 'string') throw new Error(parsed);
  return parsed;
}

function configuration(variables: Record<string, string>): Record<string, string> {
  const entries: Record<string, string> = {};
  for (let index = 0; index < Number(variables.GIT_CONFIG_COUNT); index += 1) entries[variables[`GIT_CONFIG_KEY_${index}`]!] = variables[`GIT_CONFIG_VALUE_${index}`]!;
  return entries;
}

describe('buildGitEnvironment', () => {
  const inherited = { PATH: '/usr/bin', HOME: '/home/docent', GIT_DIR: '/elsewhere/.git', GIT_TRACE_CURL: '1', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.pager', GIT_CONFIG_VALUE_0: 'less', TOKEN: 's3cret' };

  it('passes the token as an Authorization header scoped to the repository origin, in variables, and drops the token variable itself', () => {
    const environment = buildGitEnvironment(address('https://git.corp:8443/team/handbook.git'), { tokenVariable: 'TOKEN', scheme: 'basic', username: 'oauth2' }, inherited);
    const settings = configuration(environment.variables);
    expect(settings['http.https://git.corp:8443/.extraHeader']).toBe(`Authorization: Basic ${Buffer.from('oauth2:s3cret').toString('base64')}`);
    expect(settings['credential.helper']).toBe('');
    expect(settings['protocol.ext.allow']).toBe('never');
    expect(environment.variables.TOKEN).toBeUndefined();
    expect(environment.variables.GIT_DIR).toBeUndefined();
    expect(environment.variables.GIT_TRACE_CURL).toBeUndefined();
    expect(settings['core.pager']).toBeUndefined();
    expect(environment.variables.GIT_TERMINAL_PROMPT).toBe('0');
    expect(environment.variables.GIT_SSH_COMMAND).toBe('ssh -o BatchMode=yes');
    expect(environment.variables.PATH).toBe('/usr/bin');
    expect(withoutSecrets(`failed with s3cret and ${Buffer.from('oauth2:s3cret').toString('base64')}`, environment.secrets)).toBe('failed with *** and ***');
  });

  it('sends a bearer token as it is', () => {
    const environment = buildGitEnvironment(address('https://git.corp/team/handbook.git'), { tokenVariable: 'TOKEN', scheme: 'bearer', username: 'x' }, inherited);
    expect(configuration(environment.variables)['http.https://git.corp/.extraHeader']).toBe('Authorization: Bearer s3cret');
  });

  it('keeps an admin\'s own ssh command, and adds no header without credentials', () => {
    const environment = buildGitEnvironment(address('git@git.corp:team/handbook.git'), undefined, { ...inherited, GIT_SSH_COMMAND: 'ssh -i /etc/docent/key -o BatchMode=yes' });
    expect(environment.variables.GIT_SSH_COMMAND).toBe('ssh -i /etc/docent/key -o BatchMode=yes');
    expect(Object.keys(configuration(environment.variables)).some((key) => key.endsWith('extraHeader'))).toBe(false);
    expect(environment.secrets).toEqual([]);
  });

  it('refuses to run without the token it was told to use', () => {
    expect(() => buildGitEnvironment(address('https://git.corp/x.git'), { tokenVariable: 'MISSING', scheme: 'basic', username: 'x' }, inherited)).toThrow(
      expect.objectContaining({ code: 'credentials_rejected', retryable: false }),
    );
  });
});

import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../../test/support/temporary-directory.js';
import type { ChatIdentity, Directory, ResolvedIdentity } from '../../core/directory.js';
import { DocentError, isDocentError } from '../../core/errors.js';
import { createAdminAuthenticator, roleOf, type AdminAuthenticator } from './admin-authenticator.js';
import { AdminTokenStore } from './admin-token-store.js';

/** Implements the real interface over a table of people; can be made to fail; records lookups. */
class TableDirectory implements Directory {
  readonly kind = 'table';
  readonly lookups: ChatIdentity[] = [];
  failure: unknown;

  constructor(private readonly people: Record<string, string[]>) {}

  async resolve(identity: ChatIdentity): Promise<ResolvedIdentity> {
    this.lookups.push(identity);
    if (this.failure !== undefined) throw this.failure;
    const groups = this.people[identity.userId];
    return groups ? { found: true, principals: [`user:${identity.userId}`, ...groups.map((group) => `group:${group}`)] } : { found: false, principals: [] };
  }

  async close(): Promise<void> {}
}

const roles = { admin: ['group:it-admins'], auditor: ['group:compliance'], viewer: ['group:helpdesk', 'user:dave'] };

describe('roleOf', () => {
  it('gives the strongest role any principal holds, ignoring case', () => {
    expect(roleOf(['group:Helpdesk', 'group:IT-Admins'], roles)).toBe('admin');
    expect(roleOf(['group:compliance', 'group:helpdesk'], roles)).toBe('auditor');
    expect(roleOf(['user:dave'], roles)).toBe('viewer');
    expect(roleOf(['group:engineering'], roles)).toBeUndefined();
    expect(roleOf([], roles)).toBeUndefined();
  });
});

describe('createAdminAuthenticator', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => app?.close());

  /** A server whose one route answers with the identity, or the error code the authenticator threw. */
  async function serverWith(authenticate: AdminAuthenticator): Promise<FastifyInstance> {
    app = Fastify();
    app.all('/who', async (request) => {
      try {
        return await authenticate(request);
      } catch (error) {
        if (!isDocentError(error)) throw error;
        return { error: error.code, message: error.message };
      }
    });
    await app.ready();
    return app;
  }

  it('accepts "Bearer <token>" only, in any case of the scheme', async () => {
    const tokens = AdminTokenStore.in(await temporaryDirectory());
    const { token } = await tokens.create('ops', 'auditor', 'cli:test');
    const server = await serverWith(createAdminAuthenticator({ tokens }));
    const who = async (authorization?: string) => (await server.inject({ method: 'GET', url: '/who', headers: authorization === undefined ? {} : { authorization } })).json();
    expect(await who(`Bearer ${token}`)).toEqual({ name: 'ops', role: 'auditor', via: 'token' });
    expect(await who(`bearer ${token}`)).toEqual({ name: 'ops', role: 'auditor', via: 'token' });
    expect(await who(token)).toMatchObject({ error: 'unauthenticated' });
    expect(await who(`Bearer ${token} extra`)).toMatchObject({ error: 'unauthenticated' });
    expect(await who('Bearer')).toMatchObject({ error: 'unauthenticated' });
    expect(await who()).toMatchObject({ error: 'unauthenticated', message: expect.stringContaining('docent admin tokens create') });
  });

  it('fails closed when the directory cannot say who someone is', async () => {
    const directory = new TableDirectory({ ann: ['it-admins'] });
    const tokens = AdminTokenStore.in(await temporaryDirectory());
    const server = await serverWith(createAdminAuthenticator({ tokens, singleSignOn: { login: { userHeader: 'x-remote-user', trustedProxies: ['127.0.0.1'] }, directory, roles } }));
    const asAnn = async () => (await server.inject({ method: 'GET', url: '/who', headers: { 'x-remote-user': 'ann' } })).json();
    expect(await asAnn()).toEqual({ name: 'ann', role: 'admin', via: 'sso' });
    directory.failure = new DocentError('directory_unavailable', 'ldap://dc1 did not answer');
    expect(await asAnn()).toMatchObject({ error: 'directory_unavailable', message: 'ldap://dc1 did not answer' });
    directory.failure = new Error('socket hang up');
    expect(await asAnn()).toMatchObject({ error: 'directory_unavailable', message: expect.stringContaining('socket hang up') });
    expect(directory.lookups.map((identity) => identity.userId)).toEqual(['ann', 'ann', 'ann']);
  });

  it('takes a token before single sign-on, so scripts behind the proxy keep their own role', async () => {
    const directory = new TableDirectory({ ann: ['it-admins'] });
    const tokens = AdminTokenStore.in(await temporaryDirectory());
    const { token } = await tokens.create('nightly-export', 'auditor', 'cli:test');
    const server = await serverWith(createAdminAuthenticator({ tokens, singleSignOn: { login: { userHeader: 'x-remote-user', trustedProxies: ['127.0.0.1'] }, directory, roles } }));
    const response = await server.inject({ method: 'GET', url: '/who', headers: { 'x-remote-user': 'ann', authorization: `Bearer ${token}` } });
    expect(response.json()).toEqual({ name: 'nightly-export', role: 'auditor', via: 'token' });
    expect(directory.lookups).toEqual([]);
  });
});

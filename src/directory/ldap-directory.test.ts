import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directorySettings, groups, people, sampleDirectory } from '../../test/fixtures/ldap-directory.js';
import { startLdapStandIn, type LdapStandIn } from '../../test/support/ldap-stand-in.js';
import { LdapDirectory } from './ldap-directory.js';

const annGroups = ['group:payroll', 'group:hr', 'group:staff', 'group:everybody'];

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('LdapDirectory against a local LDAP server', () => {
  let ldap: LdapStandIn;
  beforeAll(async () => {
    ldap = await startLdapStandIn(sampleDirectory());
  });
  afterAll(() => ldap.close());

  it("resolves a Slack user by e-mail to their account, addresses and nested groups through memberOf", async () => {
    const directory = new LdapDirectory(directorySettings(ldap.url));
    const ann = await directory.resolve({ platform: 'slack', userId: 'U0ANN', email: 'ann@example.com' });
    expect(ann.found).toBe(true);
    expect(ann.displayName).toBe('Ann Lee');
    expect(ann.principals.slice(0, 3)).toEqual(['user:ann', 'user:ann@example.com', 'user:ann@corp.example.com']);
    expect(ann.principals.slice(3).sort()).toEqual([...annGroups].sort());
    const bob = await directory.resolve({ platform: 'teams', userId: 'aad-object-id', upn: 'bob@corp.example.com' });
    expect(bob.principals.filter((principal) => principal.startsWith('group:')).sort()).toEqual(['group:engineering', 'group:everybody', 'group:staff']);
    expect((await directory.resolve({ platform: 'web', userId: 'carol' })).principals).toEqual(['user:carol', 'user:carol@example.com']);
  });

  it('finds the same nested groups by searching group members, for directories without memberOf', async () => {
    const directory = new LdapDirectory({ ...directorySettings(ldap.url), groupFilter: '(&(objectClass=group)(member={dn}))' });
    const ann = await directory.resolve({ platform: 'slack', userId: 'U0ANN', email: 'ann@example.com' });
    expect(ann.principals.filter((principal) => principal.startsWith('group:')).sort()).toEqual([...annGroups].sort());
  });

  it('sees a membership change on the next lookup', async () => {
    const directory = new LdapDirectory(directorySettings(ldap.url));
    ldap.removeMember(groups.payroll, people.ann);
    try {
      expect((await directory.resolve({ platform: 'slack', userId: 'U0ANN', email: 'ann@example.com' })).principals).toEqual(['user:ann', 'user:ann@example.com', 'user:ann@corp.example.com']);
    } finally {
      ldap.addMember(groups.payroll, people.ann);
    }
  });

  it('knows nothing of strangers or of platform ids, and escapes what the platform sends', async () => {
    const directory = new LdapDirectory(directorySettings(ldap.url));
    const stranger = { found: false, principals: [] };
    expect(await directory.resolve({ platform: 'slack', userId: 'U0GUEST', email: 'guest@partner.example' })).toEqual(stranger);
    expect(await directory.resolve({ platform: 'slack', userId: 'U0ANN' })).toEqual(stranger);
    const searchesBefore = ldap.searches;
    expect(await directory.resolve({ platform: 'slack', userId: 'U0X', email: '*' })).toEqual(stranger);
    expect(await directory.resolve({ platform: 'slack', userId: 'U0X', email: 'x)(mail=ann@example.com' })).toEqual(stranger);
    expect(ldap.searches).toBe(searchesBefore + 2);
  });

  it('refuses an identity that matches two entries', async () => {
    const directory = new LdapDirectory(directorySettings(ldap.url));
    await expect(directory.resolve({ platform: 'slack', userId: 'U0TWIN', email: 'twins@example.com' })).rejects.toMatchObject({ code: 'identity_ambiguous' });
  });

  it('says when the bind password is wrong', async () => {
    const directory = new LdapDirectory({ ...directorySettings(ldap.url), bindPassword: 'wrong' });
    await expect(directory.resolve({ platform: 'slack', userId: 'U0ANN', email: 'ann@example.com' })).rejects.toMatchObject({ code: 'credentials_rejected', message: expect.stringContaining('DOCENT_DIRECTORY_BIND_PASSWORD') });
  });

  it('fails with directory_unavailable, naming the server, when nothing listens or the server never answers', async () => {
    const refused = new LdapDirectory(directorySettings(`ldap://127.0.0.1:${await closedPort()}`));
    await expect(refused.resolve({ platform: 'slack', userId: 'U0ANN', email: 'ann@example.com' })).rejects.toMatchObject({ code: 'directory_unavailable', retryable: true, message: expect.stringContaining('the LDAP directory at ldap://127.0.0.1:') });

    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const directory = new LdapDirectory({ ...directorySettings(`ldap://127.0.0.1:${(silent.address() as net.AddressInfo).port}`), timeoutSeconds: 1 });
      const started = Date.now();
      await expect(directory.resolve({ platform: 'slack', userId: 'U0ANN', email: 'ann@example.com' })).rejects.toMatchObject({ code: 'directory_unavailable' });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('rejects an invalid filter in the settings before any question', () => {
    expect(() => new LdapDirectory({ ...directorySettings('ldap://127.0.0.1:389'), userFilter: '(objectClass=person' })).toThrow(/directory.userFilter: not a valid LDAP filter/);
  });
});

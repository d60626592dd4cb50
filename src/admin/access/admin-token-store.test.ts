import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../../test/support/temporary-directory.js';
import { AdminTokenStore } from './admin-token-store.js';

describe('AdminTokenStore', () => {
  it('hands out a token once and keeps only a salted hash of it', async () => {
    const store = AdminTokenStore.in(await temporaryDirectory());
    const { token, stored } = await store.create('ops-team', 'admin', 'cli:alice');
    expect(token).toMatch(/^docent_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(stored).toMatchObject({ name: 'ops-team', role: 'admin', createdBy: 'cli:alice' });

    const file = await readFile(store.file, 'utf8');
    const secret = token.split('_').slice(2).join('_');
    expect(file).not.toContain(secret);
    expect(file).toContain(stored.sha256);
    expect((await stat(store.file)).mode & 0o077).toBe(0);

    expect(await store.authenticate(token)).toMatchObject({ id: stored.id, name: 'ops-team', role: 'admin' });
  });

  it('refuses wrong secrets, unknown ids and malformed values', async () => {
    const store = AdminTokenStore.in(await temporaryDirectory());
    const { token, stored } = await store.create('auditor-1', 'auditor', 'cli:alice');
    const lastCharacter = token.at(-1) === 'A' ? 'B' : 'A';
    expect(await store.authenticate(`${token.slice(0, -1)}${lastCharacter}`)).toBeUndefined();
    expect(await store.authenticate(token.replace(stored.id, '0123456789abcdef'))).toBeUndefined();
    expect(await store.authenticate('')).toBeUndefined();
    expect(await store.authenticate(`${token} `)).toBeUndefined();
    expect(await store.authenticate('Bearer something')).toBeUndefined();
  });

  it('gives equal secrets different hashes', async () => {
    const store = AdminTokenStore.in(await temporaryDirectory());
    const first = await store.create('one', 'viewer', 'cli:alice');
    const second = await store.create('two', 'viewer', 'cli:alice');
    expect(first.stored.salt).not.toBe(second.stored.salt);
    expect(first.stored.sha256).not.toBe(second.stored.sha256);
  });

  it('stops accepting a revoked token, also in another process holding the store open', async () => {
    const directory = await temporaryDirectory();
    const serving = AdminTokenStore.in(directory);
    const command = AdminTokenStore.in(directory);
    const { token } = await command.create('script', 'viewer', 'cli:alice');
    expect(await serving.authenticate(token)).toBeDefined();
    const revoked = await command.revoke('script', 'cli:bob');
    expect(revoked).toMatchObject({ name: 'script', revokedBy: 'cli:bob' });
    expect(revoked.revokedAt).toBeDefined();
    expect(await serving.authenticate(token)).toBeUndefined();
    // Listed still, as revoked; the name is free again.
    expect((await serving.list()).map((entry) => [entry.name, entry.revokedAt !== undefined])).toEqual([['script', true]]);
    await command.create('script', 'viewer', 'cli:alice');
    await expect(command.revoke('nobody', 'cli:bob')).rejects.toThrow(/no token named or numbered "nobody"/);
  });

  it('refuses duplicate and badly formed names', async () => {
    const store = AdminTokenStore.in(await temporaryDirectory());
    await store.create('ops', 'admin', 'cli:alice');
    await expect(store.create('ops', 'viewer', 'cli:alice')).rejects.toThrow(/exists already/);
    await expect(store.create('has space', 'viewer', 'cli:alice')).rejects.toThrow(/token name "has space"/);
    await expect(store.create('', 'viewer', 'cli:alice')).rejects.toThrow(/token name/);
  });

  it('names the file when it cannot be read', async () => {
    const directory = await temporaryDirectory();
    const store = AdminTokenStore.in(directory);
    await store.create('ops', 'admin', 'cli:alice');
    await writeFile(path.join(directory, 'state', 'admin-tokens.json'), '{"version":1,"tokens":[{"id":"x"}]}');
    await expect(store.authenticate('docent_0123456789abcdef_' + 'A'.repeat(43))).rejects.toThrow(/admin-tokens\.json cannot be read/);
  });
});

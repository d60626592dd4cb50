import { describe, expect, it } from 'vitest';
import type { ChatIdentity, Directory, ResolvedIdentity } from '../core/directory.js';
import { DocentError } from '../core/errors.js';
import { CachedDirectory } from './cached-directory.js';

/** A directory whose answers the test sets, counting lookups. */
class ScriptedDirectory implements Directory {
  readonly kind = 'scripted';
  lookups = 0;
  groups = ['group:hr'];
  failing = false;
  async resolve(identity: ChatIdentity): Promise<ResolvedIdentity> {
    this.lookups++;
    await new Promise((resolve) => setTimeout(resolve, 5));
    if (this.failing) throw new DocentError('directory_unavailable', 'down');
    return { found: true, principals: [`user:${identity.userId}`, ...this.groups] };
  }
  async close(): Promise<void> {}
}

describe('CachedDirectory', () => {
  it('reuses an identity for the cache lifetime and no longer, and shares one lookup between concurrent questions', async () => {
    let now = 1_000_000;
    const inner = new ScriptedDirectory();
    const directory = new CachedDirectory(inner, { cacheSeconds: 60, now: () => now });
    const ann = { platform: 'slack', userId: 'U1', email: 'ann@example.com' };
    const [first, second] = await Promise.all([directory.resolve(ann), directory.resolve({ ...ann, email: 'ANN@example.com' })]);
    expect(first).toEqual(second);
    expect(inner.lookups).toBe(1);

    inner.groups = [];
    now += 59_000;
    expect((await directory.resolve(ann)).principals).toContain('group:hr');
    now += 1_000;
    expect((await directory.resolve(ann)).principals).toEqual(['user:U1']);
    expect(inner.lookups).toBe(2);
  });

  it('never serves an expired identity while the directory is down, and retries a failure after a short while', async () => {
    let now = 0;
    const inner = new ScriptedDirectory();
    const directory = new CachedDirectory(inner, { cacheSeconds: 300, now: () => now });
    const ann = { platform: 'slack', userId: 'U1' };
    await directory.resolve(ann);
    inner.failing = true;
    now += 300_000;
    await expect(directory.resolve(ann)).rejects.toMatchObject({ code: 'directory_unavailable' });
    now += 5_000;
    await expect(directory.resolve(ann)).rejects.toMatchObject({ code: 'directory_unavailable' });
    expect(inner.lookups).toBe(2);
    inner.failing = false;
    now += 15_000;
    expect((await directory.resolve(ann)).principals).toContain('group:hr');
  });

  it('asks every time when the lifetime is zero', async () => {
    const inner = new ScriptedDirectory();
    const directory = new CachedDirectory(inner, { cacheSeconds: 0 });
    await directory.resolve({ platform: 'web', userId: 'ann' });
    await directory.resolve({ platform: 'web', userId: 'ann' });
    expect(inner.lookups).toBe(2);
  });
});

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DocentError } from '../core/errors.js';
import { WorkerPool } from './worker-pool.js';

const script = new URL('../../test/fixtures/test-worker.ts', import.meta.url);

describe('WorkerPool', () => {
  const pool = new WorkerPool<string>(script, { size: 2, settings: { prefix: '> ' }, errorCode: 'internal' });
  afterAll(() => pool.close());

  it('runs tasks on worker threads with their settings', async () => {
    expect(await Promise.all(['a', 'b', 'c'].map((value) => pool.run({ action: 'echo', value })))).toEqual(['> a', '> b', '> c']);
  });

  it('passes a worker\'s error code through', async () => {
    await expect(pool.run({ action: 'fail', value: 'x' })).rejects.toMatchObject({ code: 'file_corrupt', message: 'cannot handle x' });
  });

  it('replaces a worker stuck past its time limit and keeps serving', async () => {
    const stuck = pool.run({ action: 'spin' }, { timeoutMs: 300, onTimeout: () => new DocentError('file_corrupt', 'took too long') });
    await expect(stuck).rejects.toMatchObject({ code: 'file_corrupt', message: 'took too long' });
    expect(await Promise.all(['d', 'e', 'f'].map((value) => pool.run({ action: 'echo', value }, { timeoutMs: 10_000 })))).toEqual(['> d', '> e', '> f']);
  });

  it('replaces a crashed worker', async () => {
    await expect(pool.run({ action: 'crash' })).rejects.toThrow(/exited with code 3/);
    expect(await pool.run({ action: 'echo', value: 'g' })).toBe('> g');
  });

  it('fails its tasks, instead of waiting forever, when a worker dies while loading', async () => {
    const dying = new WorkerPool<string>(script, { size: 1, settings: { prefix: '', exitWhileLoading: true }, errorCode: 'embedding_model_unavailable' });
    await expect(dying.run({ action: 'echo', value: 'x' })).rejects.toMatchObject({ code: 'embedding_model_unavailable', message: expect.stringMatching(/exited with code 4 before it was ready/) });
    await dying.close();
  });

  it('stops a worker that finishes loading after the pool was closed, so the process can exit', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('../../test/fixtures/pool-closed-while-loading.ts', import.meta.url))], { encoding: 'utf8', timeout: 30_000 });
    expect(child.error, 'the process did not exit within 30 s').toBeUndefined();
    expect(child.stdout).toContain('closed');
    expect(child.status).toBe(0);
  }, 40_000);
});

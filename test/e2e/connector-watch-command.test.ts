import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeTinyOnnxModel } from '../fixtures/tiny-onnx-model.js';
import { redisUnavailableReason, testRedis } from '../support/redis-server.js';
import { loggedCli, startCli, type RunningCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';
import { startWorker, type WorkerProcess } from '../support/worker-processes.js';

const redis = await testRedis();
if (!redis) console.warn(`watch mode e2e skipped: ${redisUnavailableReason}`);
afterAll(() => redis?.cleanUp());

/** Polls `check` until it holds or the (generous: a loaded machine) time is up; the caller's assertion then says what failed. */
async function eventually(check: () => Promise<boolean>, timeoutMilliseconds = 180_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMilliseconds; Date.now() < deadline && !(await check()); ) await new Promise((resolve) => setTimeout(resolve, 500));
}

describe.skipIf(!redis)('watch mode through docent worker', () => {
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
  });

  it('a file share set to watch: a file added is found by docent search within seconds, and gone once deleted; one of two workers watches', async () => {
    const root = await temporaryDirectory('docent-watch-');
    const share = path.join(root, 'share');
    await mkdir(share);
    await writeFile(path.join(share, 'cafeteria.md'), '# Cafeteria\n\nThe cafeteria opens at half past seven.\n');
    await chmod(path.join(share, 'cafeteria.md'), 0o644);
    const model = await writeTinyOnnxModel(path.join(root, 'model'), { extraWords: ['cafeteria', 'opens', 'visitors', 'reception', 'zephyrine'] });
    const configFile = path.join(root, 'docent.yaml');
    await writeFile(configFile, '');
    const environment: Record<string, string> = {
      DOCENT_CONFIG: configFile,
      DOCENT_DATA_DIR: path.join(root, 'data'),
      REDIS_URL: redis!.url,
      DOCENT_JOBS_QUEUE_PREFIX: redis!.newPrefix(),
      DOCENT_JOBS_LOCK_SECONDS: '5',
      DOCENT_JOBS_BACKOFF_SECONDS: '0.2',
      DOCENT_JOBS_SHUTDOWN_GRACE_SECONDS: '5',
      DOCENT_EMBEDDING_PROVIDER: 'transformers',
      DOCENT_EMBEDDING_MODEL_PATH: model.modelPath,
      DOCENT_EMBEDDING_THREADS: '1',
    };
    const docent = loggedCli(environment, () => `worker output:\n${workers.map((worker) => worker.output()).join('\n---\n')}`);
    const found = async (words: string): Promise<string[]> => {
      const result = await docent('search', words, '--mode', 'fulltext', '--json');
      // Before the first sync there is no index yet: nothing is found.
      return result.code === 0 ? (JSON.parse(result.stdout) as { chunk: { documentId: string } }[]).map((hit) => hit.chunk.documentId) : [];
    };

    const added = await docent('connectors', 'add', 'share', '--kind', 'file-share', '--set', `path=${share}`, '--set', 'watch=true', '--set', 'watchDebounceMs=200');
    expect(added.code, added.stderr).toBe(0);
    const [first, second] = await Promise.all([startWorker(environment), startWorker(environment)]);
    workers.push(first!, second!);
    // Exactly one of the two takes the watch (the other keeps trying, in case the first stops).
    await eventually(async () => [first!, second!].some((worker) => /watching share \(file-share\)/.test(worker.output())), 60_000);
    expect([first!, second!].filter((worker) => /watching share \(file-share\)/.test(worker.output()))).toHaveLength(1);

    // Starting the watch catches up with what is already there.
    await eventually(async () => (await found('cafeteria opens')).length > 0);
    expect(await found('cafeteria opens')).toEqual(['file-share:share:cafeteria.md']);

    await writeFile(path.join(share, 'visitors.md'), '# Visitors\n\nVisitors register at the zephyrine reception desk.\n');
    await chmod(path.join(share, 'visitors.md'), 0o644);
    await eventually(async () => (await found('zephyrine reception')).length > 0);
    expect(await found('zephyrine reception')).toEqual(['file-share:share:visitors.md']);

    await rm(path.join(share, 'visitors.md'));
    await eventually(async () => (await found('zephyrine reception')).length === 0);
    expect(await found('zephyrine reception')).toEqual([]);

    const shown = JSON.parse((await docent('connectors', 'show', 'share', '--json')).stdout) as { runs: { trigger: string; state: string }[] };
    expect(shown.runs.length).toBeGreaterThanOrEqual(3);
    expect(shown.runs.every((run) => run.trigger === 'watch' && run.state !== 'failed')).toBe(true);
  }, 600_000);
});

describe('watch mode through docent serve without Redis', () => {
  let server: RunningCli | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('docent serve watches a file share set to watch: an added file is found by docent search, a deleted one leaves', async () => {
    const root = await temporaryDirectory('docent-watch-serve-');
    const share = path.join(root, 'share');
    await mkdir(share);
    await writeFile(path.join(share, 'cafeteria.md'), '# Cafeteria\n\nThe cafeteria opens at half past seven.\n');
    await chmod(path.join(share, 'cafeteria.md'), 0o644);
    const model = await writeTinyOnnxModel(path.join(root, 'model'), { extraWords: ['cafeteria', 'opens', 'visitors', 'reception', 'zephyrine'] });
    const configFile = path.join(root, 'docent.yaml');
    await writeFile(configFile, '');
    const environment: Record<string, string> = {
      DOCENT_CONFIG: configFile,
      DOCENT_DATA_DIR: path.join(root, 'data'),
      DOCENT_EMBEDDING_PROVIDER: 'transformers',
      DOCENT_EMBEDDING_MODEL_PATH: model.modelPath,
      DOCENT_EMBEDDING_THREADS: '1',
      PORT: '0',
    };
    const docent = loggedCli(environment, () => `serve output:\n${server?.output() ?? ''}`);
    const found = async (words: string): Promise<string[]> => {
      const result = await docent('search', words, '--mode', 'fulltext', '--json');
      return result.code === 0 ? (JSON.parse(result.stdout) as { chunk: { documentId: string } }[]).map((hit) => hit.chunk.documentId) : [];
    };

    expect((await docent('connectors', 'add', 'share', '--kind', 'file-share', '--set', `path=${share}`, '--set', 'watch=true', '--set', 'watchDebounceMs=200')).code).toBe(0);
    // serve answers over an existing index: the first run makes it.
    const first = await docent('connectors', 'run', 'share');
    expect(first.code, first.stderr).toBe(0);
    server = await startCli(['serve'], environment, /web chat ready on/, [], 180_000);
    expect(server.output()).toMatch(/0 scheduled, 1 watched/);
    await eventually(async () => /watching share \(file-share\)/.test(server!.output()), 60_000);

    await writeFile(path.join(share, 'visitors.md'), '# Visitors\n\nVisitors register at the zephyrine reception desk.\n');
    await chmod(path.join(share, 'visitors.md'), 0o644);
    await eventually(async () => (await found('zephyrine reception')).length > 0);
    expect(await found('zephyrine reception')).toEqual(['file-share:share:visitors.md']);
    await rm(path.join(share, 'visitors.md'));
    await eventually(async () => (await found('zephyrine reception')).length === 0);
    expect(await found('zephyrine reception')).toEqual([]);
    expect(await found('cafeteria opens')).toEqual(['file-share:share:cafeteria.md']);
  }, 600_000);
});

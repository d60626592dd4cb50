import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { writeTinyOnnxModel } from '../fixtures/tiny-onnx-model.js';
import { redisUnavailableReason, testRedis } from '../support/redis-server.js';
import { loggedCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';
import { startWorker, type WorkerProcess } from '../support/worker-processes.js';

const redis = await testRedis();
if (!redis) console.warn(`docent connectors run with Redis skipped: ${redisUnavailableReason}`);
afterAll(() => redis?.cleanUp());

interface Counts {
  seen: number;
  added: number;
  unchanged: number;
  failed: number;
}

describe.skipIf(!redis)('docent connectors run with REDIS_URL set', () => {
  const workers: WorkerProcess[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop('SIGKILL')));
  });

  it('queues the run for the workers and prints its id; --wait prints the report, or the failure with exit code 1', async () => {
    const root = await temporaryDirectory('docent-run-queued-');
    const share = path.join(root, 'share');
    await mkdir(share);
    for (const [name, text] of [
      ['parking.md', '# Parking\n\nVisitors park on level B2.\n'],
      ['leave.md', '# Leave\n\nAnnual leave is 25 days per year.\n'],
    ] as const) {
      await writeFile(path.join(share, name), text);
      await chmod(path.join(share, name), 0o644);
    }
    const model = await writeTinyOnnxModel(path.join(root, 'model'), { extraWords: ['parking', 'visitors', 'leave', 'annual'] });
    const configFile = path.join(root, 'docent.yaml');
    await writeFile(configFile, '');
    const environment: Record<string, string> = {
      DOCENT_CONFIG: configFile,
      DOCENT_DATA_DIR: path.join(root, 'data'),
      REDIS_URL: redis!.url,
      DOCENT_JOBS_QUEUE_PREFIX: redis!.newPrefix(),
      DOCENT_JOBS_LOCK_SECONDS: '5',
      DOCENT_JOBS_ATTEMPTS: '2',
      DOCENT_JOBS_BACKOFF_SECONDS: '0.2',
      DOCENT_JOBS_SHUTDOWN_GRACE_SECONDS: '5',
      DOCENT_EMBEDDING_PROVIDER: 'transformers',
      DOCENT_EMBEDDING_MODEL_PATH: model.modelPath,
      DOCENT_EMBEDDING_THREADS: '1',
    };
    const docent = loggedCli(environment, () => `worker output:\n${workers.map((worker) => worker.output()).join('\n---\n')}`);

    expect((await docent('connectors', 'add', 'share', '--kind', 'file-share', '--set', `path=${share}`)).code).toBe(0);
    // No worker yet: the run waits in the queue, and the command did not run it itself.
    const queued = await docent('connectors', 'run', 'share', '--json');
    expect(queued.code, queued.stderr).toBe(0);
    const { runId, joined } = JSON.parse(queued.stdout) as { runId: string; joined: boolean };
    expect(joined).toBe(false);
    expect(runId).toMatch(/^run-share-/);
    const again = await docent('connectors', 'run', 'share');
    expect(again.stdout).toContain(`joined run ${runId} of share for the workers`);
    expect((JSON.parse((await docent('connectors', 'show', 'share', '--json')).stdout) as { runs: unknown[] }).runs).toEqual([]);

    workers.push(await startWorker(environment));
    const waited = await docent('connectors', 'run', 'share', '--wait', '--json');
    expect(waited.code, waited.stderr).toBe(0);
    const result = JSON.parse(waited.stdout) as { runId: string; run: { id: string; state: string; trigger: string }; report: Counts };
    // Joined the queued run, or (when the worker had finished it already) a new one that found nothing changed.
    expect(result.run).toMatchObject({ id: result.runId, state: 'succeeded', trigger: 'manual' });
    expect(result.report.seen).toBe(2);
    expect(result.report.added + result.report.unchanged).toBe(2);
    const text = await docent('connectors', 'run', 'share', '--wait');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^2 documents: 0 added, 0 updated, 2 unchanged, 0 deleted, 0 skipped/m);
    expect(text.stderr).toMatch(/queued run run-share-\S+ of share; waiting for the workers/);

    // The share is gone: the workers retry, then the run fails; the command says why and exits 1.
    await rm(share, { recursive: true });
    const failed = await docent('connectors', 'run', 'share', '--wait');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/connector share failed: .*share.* \[source_unreachable\]/);
    const shown = JSON.parse((await docent('connectors', 'show', 'share', '--json')).stdout) as { state: string; runs: { state: string; error?: { code: string } }[] };
    expect(shown.runs[0]).toMatchObject({ state: 'failed', error: { code: 'source_unreachable' } });
    expect(shown.state).toBe('failing');

    const audit = JSON.parse((await docent('audit', 'search', '--type', 'admin', '--json')).stdout) as { records: { action: string }[] };
    expect(audit.records.map((record) => record.action).filter((action) => action === 'connector.run')).toHaveLength(5);
  }, 600_000);
});

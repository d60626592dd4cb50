import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { searchRecords } from '../../src/audit/search-records.js';
import { tinyGguf } from '../fixtures/tiny-gguf.js';
import { startHuggingFaceStandIn, type HuggingFaceStandIn } from '../support/hugging-face-stand-in.js';
import { projectRoot, runCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

const run = promisify(execFile);
const forbidNetwork = path.join(projectRoot, 'test', 'support', 'forbid-network.mjs');
const model = tinyGguf({ seed: 11 });
const modelSha256 = createHash('sha256').update(model).digest('hex');

describe('docent models, against a local Hugging Face stand-in', () => {
  let huggingFace: HuggingFaceStandIn;
  let root: string;
  let dataDirectory: string;
  let configFile: string;
  let networkLog: string;
  let environment: Record<string, string>;

  beforeAll(async () => {
    huggingFace = await startHuggingFaceStandIn([{ repository: 'acme/tiny-GGUF', path: 'tiny-q8_0.gguf', content: model }]);
    root = await temporaryDirectory('docent-models-e2e-');
    dataDirectory = path.join(root, 'data');
    configFile = path.join(root, 'docent.yaml');
    await writeFile(configFile, 'llm:\n  model: tiny\n  threads: 2\n');
    networkLog = path.join(root, 'network.log');
    // HF_TOKEN from the developer's shell must not reach the stand-in's records or this test's output.
    environment = { DOCENT_DATA_DIR: dataDirectory, HF_ENDPOINT: huggingFace.url, HF_TOKEN: '', NETWORK_ACCESS_LOG: networkLog };
  });

  afterAll(async () => {
    await huggingFace?.close();
  });

  const docent = (args: string[]) => runCli(['--config', configFile, 'models', ...args], environment, [forbidNetwork]);

  it('pulls, lists and verifies a model, and exits 2 naming the file and both checksums once it is corrupted', async () => {
    const pull = await docent(['pull', 'acme/tiny-GGUF/tiny-q8_0.gguf', '--name', 'tiny']);
    expect(pull.stderr).toBe('');
    expect(pull.code).toBe(0);
    const modelFile = path.join(dataDirectory, 'models', 'tiny.gguf');
    expect(pull.stdout).toContain(`pulled tiny: ${modelFile}`);
    expect(pull.stdout).toContain(`sha256 ${modelSha256}`);
    expect(huggingFace.requests.map((request) => request.path)).toEqual(['/acme/tiny-GGUF/resolve/main/tiny-q8_0.gguf', '/cdn/0']);

    const again = await docent(['pull', 'acme/tiny-GGUF/tiny-q8_0.gguf', '--name', 'tiny']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/"tiny" already exists.*--force/);
    // Both pulls are in the audit log: the first with the checksum of what it fetched, the refused one as failed.
    const pulls = (await searchRecords(path.join(dataDirectory, 'audit'), { type: 'admin', text: 'model.pull' })).records.map((stored) => stored.record);
    expect(pulls).toMatchObject([
      { action: 'model.pull', details: { target: 'acme/tiny-GGUF/tiny-q8_0.gguf', name: 'tiny' } },
      { action: 'model.pull.completed', details: { name: 'tiny', sha256: modelSha256 } },
      { action: 'model.pull' },
      { action: 'model.pull.failed', details: { error: { code: expect.any(String) } } },
    ]);

    const list = await docent(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^tiny\s+[\d.]+ MB\s+llama\s+4096\s+hf:\/\/acme\/tiny-GGUF\/tiny-q8_0\.gguf/m);
    const listed = JSON.parse((await docent(['list', '--json'])).stdout) as Array<{ name: string; present: boolean; record: { sha256: string } }>;
    expect(listed).toMatchObject([{ name: 'tiny', present: true, record: { sha256: modelSha256 } }]);

    const verify = await docent(['verify']);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(new RegExp(`^ok\\s+tiny\\s+${modelFile}.*sha256 ${modelSha256}, matches models.json`, 'm'));

    const corrupted = Buffer.from(model);
    corrupted[corrupted.length - 10] = corrupted[corrupted.length - 10]! ^ 0x01;
    await writeFile(modelFile, corrupted);
    const corruptedSha256 = createHash('sha256').update(corrupted).digest('hex');
    for (const args of [['verify'], ['verify', 'tiny'], ['verify', '--json']]) {
      const failed = await docent(args);
      expect(failed.code).toBe(2);
      expect(failed.stdout).toContain(`${modelFile} has changed: its SHA-256 is ${corruptedSha256} but models.json records ${modelSha256}`);
    }
    expect(existsSync(networkLog)).toBe(false);
  }, 180_000);

  it('refuses to bundle a corrupted model, then bundles the restored one with models.json and docent.yaml', async () => {
    const refused = await docent(['bundle', '--output', path.join(root, 'refused.tar.gz')]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/has changed since it was pulled/);
    expect(existsSync(path.join(root, 'refused.tar.gz'))).toBe(false);

    expect((await docent(['pull', 'acme/tiny-GGUF/tiny-q8_0.gguf', '--name', 'tiny', '--force'])).code).toBe(0);
    const archive = path.join(root, 'out', 'docent-models.tar.gz');
    const bundle = await docent(['bundle', '--output', archive]);
    expect(bundle.stderr).toBe('');
    expect(bundle.code).toBe(0);
    expect(bundle.stdout).toContain(`wrote ${archive}`);

    const { stdout: listing } = await run('tar', ['-tzf', archive]);
    expect(listing.trim().split('\n').sort()).toEqual(['docent.yaml', 'models/models.json', 'models/tiny.gguf']);

    // What the air-gapped site does: unpack into its data directory and verify.
    const site = path.join(root, 'site');
    await mkdir(site);
    await run('tar', ['-xzf', archive, '-C', site]);
    expect((await readFile(path.join(site, 'models', 'tiny.gguf'))).equals(model)).toBe(true);
    expect(await readFile(path.join(site, 'docent.yaml'), 'utf8')).toBe('llm:\n  model: tiny\n  threads: 2\n');
    const manifest = JSON.parse(await readFile(path.join(site, 'models', 'models.json'), 'utf8')) as { models: Array<{ name: string; file: string; sha256: string }> };
    expect(manifest.models).toMatchObject([{ name: 'tiny', file: 'tiny.gguf', sha256: modelSha256 }]);
    const verifyAtSite = await runCli(['--config', path.join(site, 'docent.yaml'), '--data-dir', site, 'models', 'verify'], { ...environment, DOCENT_DATA_DIR: '' }, [forbidNetwork]);
    expect(verifyAtSite.code).toBe(0);
    expect(verifyAtSite.stdout).toMatch(/^ok\s+tiny\s/m);
    expect(existsSync(networkLog)).toBe(false);
  }, 180_000);
});

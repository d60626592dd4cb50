import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../test/fixtures/tiny-gguf.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { configSchema } from '../config/schema.js';
import { bundleModels } from './model-bundle.js';
import { verifyModels } from './model-store.js';

const run = promisify(execFile);

describe('bundleModels', () => {
  it('packs a chat model given by path and an embedding model folder, with checksums that verify after unpacking', async () => {
    const root = await temporaryDirectory();
    const modelFile = await writeTinyGguf(path.join(root, 'elsewhere'), { seed: 5 }, 'Chat Model.gguf');
    const embeddingFolder = path.join(root, 'multilingual-e5-small');
    await mkdir(path.join(embeddingFolder, 'onnx'), { recursive: true });
    await writeFile(path.join(embeddingFolder, 'config.json'), '{"model_type":"bert"}');
    await writeFile(path.join(embeddingFolder, 'onnx', 'model.onnx'), Buffer.from([1, 2, 3, 4]));
    const configFile = path.join(root, 'site.yaml');
    await writeFile(configFile, 'embedding:\n  provider: transformers\n');
    const config = configSchema.parse({ dataDir: path.join(root, 'data'), llm: { model: modelFile }, embedding: { provider: 'transformers', modelPath: embeddingFolder } });

    const archive = path.join(root, 'bundle.tar.gz');
    const result = await bundleModels(config, archive, { configFile, environment: { DOCENT_LLM_THREADS: '2', DOCENT_LLM_API_KEY: 'sk-secret' } });

    expect(result.entries).toEqual(['models/models.json', 'models/Chat-Model.gguf', 'models/multilingual-e5-small/config.json', 'models/multilingual-e5-small/onnx/model.onnx', 'docent.yaml']);
    expect(result.notes.join('\n')).toMatch(/llm\.model is the path .*set llm\.model to "Chat-Model"/);
    expect(result.notes.join('\n')).toMatch(/set them at the site too: DOCENT_LLM_THREADS$/m);
    expect(result.notes.join('\n')).not.toMatch(/API_KEY|sk-secret/);
    const { stdout } = await run('tar', ['-tzf', archive]);
    expect(stdout.trim().split('\n').filter((entry) => !entry.endsWith('/')).sort()).toEqual([...result.entries].sort());

    const site = path.join(root, 'site');
    await mkdir(site);
    await run('tar', ['-xzf', archive, '-C', site]);
    expect(await readFile(path.join(site, 'docent.yaml'), 'utf8')).toBe('embedding:\n  provider: transformers\n');
    const checks = await verifyModels({ directory: path.join(site, 'models') });
    expect(checks.map((check) => [check.name, check.ok])).toEqual([
      ['Chat-Model', true],
      ['multilingual-e5-small', true],
    ]);

    const changed = path.join(site, 'models', 'multilingual-e5-small', 'onnx', 'model.onnx');
    await writeFile(changed, Buffer.from([9]));
    const [, embedding] = await verifyModels({ directory: path.join(site, 'models') });
    expect(embedding).toMatchObject({ ok: false, code: 'model_integrity', problem: expect.stringContaining(`${changed} has changed`) });
  });

  it('refuses to write an archive with nothing in it', async () => {
    const root = await temporaryDirectory();
    await expect(bundleModels(configSchema.parse({ dataDir: root }), path.join(root, 'empty.tar.gz'))).rejects.toMatchObject({ code: 'invalid_request', message: expect.stringMatching(/nothing to bundle/) });
  });
});

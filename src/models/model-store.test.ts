import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyGguf } from '../../test/fixtures/tiny-gguf.js';
import { startHuggingFaceStandIn, type HuggingFaceStandIn } from '../../test/support/hugging-face-stand-in.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { configSchema } from '../config/schema.js';
import { DocentError } from '../core/errors.js';
import type { DownloadProgress } from './download-to-file.js';
import { readManifest } from './model-manifest.js';
import { listModels, pullModel, resolveModelPath, verifyModel, verifyModels } from './model-store.js';

const model = tinyGguf({ seed: 3 });
const otherModel = tinyGguf({ seed: 4 });
const sha256 = (content: Buffer): string => createHash('sha256').update(content).digest('hex');

let huggingFace: HuggingFaceStandIn;
let mirror: HuggingFaceStandIn;
let environment: NodeJS.ProcessEnv;

beforeAll(async () => {
  huggingFace = await startHuggingFaceStandIn([
    { repository: 'acme/tiny-GGUF', path: 'tiny-q8_0.gguf', content: model },
    { repository: 'acme/tiny-GGUF', path: 'quantised/tiny.gguf', revision: 'v2', content: otherModel },
    { repository: 'acme/gated', path: 'tiny.gguf', content: model, token: 'secret-token' },
    { repository: 'acme/broken', path: 'page.gguf', content: Buffer.from('<!DOCTYPE html><html>Sign in</html>') },
    { repository: 'acme/broken', path: 'lying.gguf', content: model, publishedSha256: 'f'.repeat(64) },
  ]);
  mirror = await startHuggingFaceStandIn([{ repository: 'elsewhere/models', path: 'tiny.gguf', content: model }]);
  environment = { HF_ENDPOINT: huggingFace.url };
});

afterAll(async () => {
  await huggingFace.close();
  await mirror.close();
});

async function expectDocentError(promise: Promise<unknown>, code: string, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DocentError);
  expect((error as DocentError).code).toBe(code);
  expect((error as DocentError).message).toMatch(message);
}

async function expectNoLeftovers(directory: string): Promise<void> {
  const files = existsSync(directory) ? await readdir(directory) : [];
  expect(files.filter((file) => file.endsWith('.partial') || file.endsWith('.gguf'))).toEqual([]);
}

describe('pullModel', () => {
  it('downloads a Hugging Face reference through the resolve redirect, records its SHA-256 and reports progress', async () => {
    const directory = path.join(await temporaryDirectory(), 'models');
    const progress: DownloadProgress[] = [];
    const requestsBefore = huggingFace.requests.length;

    const pulled = await pullModel('acme/tiny-GGUF/tiny-q8_0.gguf', { directory, environment, onProgress: (update) => progress.push(update), now: () => new Date('2026-01-02T03:04:05Z') });

    expect(pulled).toMatchObject({ name: 'tiny-q8_0', file: 'tiny-q8_0.gguf', source: 'hf://acme/tiny-GGUF/tiny-q8_0.gguf', sha256: sha256(model), bytes: model.length, replaced: false });
    expect(pulled.details).toMatchObject({ architecture: 'llama', modelName: 'docent-tiny-babble', trainedContextLength: 4096 });
    expect((await readFile(path.join(directory, 'tiny-q8_0.gguf'))).equals(model)).toBe(true);
    expect(readManifest(directory).models).toEqual([
      { name: 'tiny-q8_0', file: 'tiny-q8_0.gguf', source: 'hf://acme/tiny-GGUF/tiny-q8_0.gguf', sha256: sha256(model), bytes: model.length, pulledAt: '2026-01-02T03:04:05.000Z' },
    ]);
    expect(huggingFace.requests.slice(requestsBefore).map((request) => `${request.method} ${request.path}`)).toEqual(['GET /acme/tiny-GGUF/resolve/main/tiny-q8_0.gguf', 'GET /cdn/0']);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toEqual({ bytes: model.length, total: model.length });
    expect(progress.every((update, index) => index === 0 || update.bytes >= progress[index - 1]!.bytes)).toBe(true);
  });

  it('accepts hf:// references with a revision and a name of the admin’s choosing', async () => {
    const directory = await temporaryDirectory();
    const pulled = await pullModel('hf://acme/tiny-GGUF/quantised/tiny.gguf@v2', { directory, environment, name: 'assistant' });
    expect(pulled).toMatchObject({ name: 'assistant', file: 'assistant.gguf', source: 'hf://acme/tiny-GGUF/quantised/tiny.gguf@v2', sha256: sha256(otherModel) });
    expect(huggingFace.requests.some((request) => request.path === '/acme/tiny-GGUF/resolve/v2/quantised/tiny.gguf')).toBe(true);
  });

  it('downloads a plain URL and never sends the Hugging Face token to another host', async () => {
    const directory = await temporaryDirectory();
    const url = `${mirror.url}/elsewhere/models/resolve/main/tiny.gguf`;
    const pulled = await pullModel(url, { directory, environment: { ...environment, HF_TOKEN: 'secret-token' } });
    expect(pulled).toMatchObject({ name: 'tiny', source: url, sha256: sha256(model), bytes: model.length });
    expect(mirror.requests.map((request) => request.authorization)).toEqual([undefined, undefined]);
  });

  it('sends HF_TOKEN as a bearer token to Hugging Face, and explains a 401 without one', async () => {
    const directory = await temporaryDirectory();
    await expectDocentError(pullModel('acme/gated/tiny.gguf', { directory, environment }), 'download_failed', /HTTP 401 .*HF_TOKEN/);
    await expectNoLeftovers(directory);

    await pullModel('acme/gated/tiny.gguf', { directory, environment: { ...environment, HF_TOKEN: 'secret-token' } });
    expect(huggingFace.requests.filter((request) => request.path === '/acme/gated/resolve/main/tiny.gguf').at(-1)?.authorization).toBe('Bearer secret-token');
  });

  it('refuses a download whose SHA-256 differs from --sha256 and leaves nothing behind', async () => {
    const directory = await temporaryDirectory();
    const wrong = '0'.repeat(64);
    await expectDocentError(pullModel('acme/tiny-GGUF/tiny-q8_0.gguf', { directory, environment, sha256: wrong }), 'model_integrity', new RegExp(`${sha256(model)}.*--sha256 is ${wrong}`));
    await expectNoLeftovers(directory);
    expect(readManifest(directory).models).toEqual([]);

    const pulled = await pullModel('acme/tiny-GGUF/tiny-q8_0.gguf', { directory, environment, sha256: sha256(model).toUpperCase() });
    expect(pulled.sha256).toBe(sha256(model));
  });

  it('refuses a download whose SHA-256 differs from the one Hugging Face publishes', async () => {
    const directory = await temporaryDirectory();
    await expectDocentError(pullModel('acme/broken/lying.gguf', { directory, environment }), 'model_integrity', /X-Linked-Etag/);
    await expectNoLeftovers(directory);
  });

  it('fails with download_failed on a 404 or an unreachable server, without a partial file', async () => {
    const directory = await temporaryDirectory();
    await expectDocentError(pullModel('acme/tiny-GGUF/missing.gguf', { directory, environment }), 'download_failed', /hf:\/\/acme\/tiny-GGUF\/missing\.gguf failed: HTTP 404 .*check the owner/);
    await expectNoLeftovers(directory);
    await expectDocentError(pullModel('http://127.0.0.1:9/model.gguf', { directory, environment }), 'download_failed', /cannot reach 127\.0\.0\.1:9/);
    await expectNoLeftovers(directory);
  });

  it('refuses a download that is not a GGUF file', async () => {
    const directory = await temporaryDirectory();
    await expectDocentError(pullModel('acme/broken/page.gguf', { directory, environment }), 'model_integrity', /not a GGUF file \(it starts with "<!DOCTYPE html>/);
    await expectNoLeftovers(directory);
  });

  it('replaces a model of the same name only with force', async () => {
    const directory = await temporaryDirectory();
    await pullModel('acme/tiny-GGUF/tiny-q8_0.gguf', { directory, environment, name: 'chat' });
    await expectDocentError(pullModel('acme/tiny-GGUF/quantised/tiny.gguf@v2', { directory, environment, name: 'chat' }), 'invalid_request', /"chat" already exists.*--force/);
    expect((await readFile(path.join(directory, 'chat.gguf'))).equals(model)).toBe(true);

    const replaced = await pullModel('acme/tiny-GGUF/quantised/tiny.gguf@v2', { directory, environment, name: 'chat', force: true });
    expect(replaced.replaced).toBe(true);
    expect((await readFile(path.join(directory, 'chat.gguf'))).equals(otherModel)).toBe(true);
    expect(readManifest(directory).models.map((record) => [record.name, record.sha256])).toEqual([['chat', sha256(otherModel)]]);
  });

  it('rejects references and names it cannot use before downloading anything', async () => {
    const directory = await temporaryDirectory();
    await expectDocentError(pullModel('just-a-name', { directory, environment }), 'invalid_request', /not a model reference/);
    await expectDocentError(pullModel('ftp://host/model.gguf', { directory, environment }), 'invalid_request', /only http\(s\) URLs/);
    await expectDocentError(pullModel('acme/tiny-GGUF/tiny-q8_0.gguf', { directory, environment, name: '../escape' }), 'invalid_request', /not a usable model name/);
    await expectDocentError(pullModel('acme/tiny-GGUF/tiny-q8_0.gguf', { directory, environment, sha256: 'abc' }), 'invalid_request', /not a SHA-256/);
  });
});

describe('verifyModel and listModels', () => {
  it('passes an untouched model and detects a modified one, naming the file and both checksums', async () => {
    const directory = await temporaryDirectory();
    await pullModel('acme/tiny-GGUF/tiny-q8_0.gguf', { directory, environment, name: 'chat' });
    const file = path.join(directory, 'chat.gguf');

    expect(await verifyModel('chat', { directory })).toMatchObject({ name: 'chat', path: file, ok: true, status: 'recorded', sha256: sha256(model) });
    expect(await verifyModel(file, { directory })).toMatchObject({ name: 'chat', ok: true });

    const modified = Buffer.from(model);
    modified[modified.length - 1] = modified[modified.length - 1]! ^ 0xff;
    await writeFile(file, modified);
    await expectDocentError(verifyModel('chat', { directory }), 'model_integrity', new RegExp(`${file} has changed: its SHA-256 is ${sha256(modified)} but models.json records ${sha256(model)}`));
    expect(await verifyModels({ directory })).toMatchObject([{ name: 'chat', ok: false, status: 'failed', code: 'model_integrity' }]);
  });

  it('names the path of a missing file and of a file that is not GGUF', async () => {
    const directory = await temporaryDirectory();
    await pullModel('acme/tiny-GGUF/tiny-q8_0.gguf', { directory, environment, name: 'chat' });
    const file = path.join(directory, 'chat.gguf');

    await writeFile(file, 'not a model at all');
    await expectDocentError(verifyModel('chat', { directory }), 'model_integrity', new RegExp(`${file} is not a GGUF file`));
    await rm(file);
    await expectDocentError(verifyModel('chat', { directory }), 'model_unavailable', new RegExp(`${file} does not exist`));
    await expectDocentError(verifyModel('nothing-by-this-name', { directory }), 'model_unavailable', /no model named "nothing-by-this-name"/);

    expect(await listModels({ directory })).toMatchObject([{ name: 'chat', path: file, recorded: true, present: false }]);
  });

  it('lists recorded models with their details, and GGUF files copied in by hand', async () => {
    const directory = await temporaryDirectory();
    await pullModel('acme/tiny-GGUF/tiny-q8_0.gguf', { directory, environment, name: 'chat' });
    await writeFile(path.join(directory, 'copied.gguf'), otherModel);
    const listed = await listModels({ directory });
    expect(listed).toMatchObject([
      { name: 'chat', recorded: true, present: true, bytesOnDisk: model.length, record: { source: 'hf://acme/tiny-GGUF/tiny-q8_0.gguf' }, details: { architecture: 'llama' } },
      { name: 'copied', recorded: false, present: true, bytesOnDisk: otherModel.length, details: { architecture: 'llama' } },
    ]);
    expect(await verifyModel(path.join(directory, 'copied.gguf'), { directory })).toMatchObject({ ok: true, status: 'unrecorded', sha256: sha256(otherModel) });
  });
});

describe('resolveModelPath', () => {
  it('resolves llm.model as a pulled model name or as a path, and explains a name it cannot find', async () => {
    const dataDir = await temporaryDirectory();
    const directory = path.join(dataDir, 'models');
    await pullModel('acme/tiny-GGUF/tiny-q8_0.gguf', { directory, environment, name: 'chat' });
    const configWith = (model?: string, extra: Record<string, unknown> = {}) => configSchema.parse({ dataDir, ...(model ? { llm: { model } } : {}), ...extra });

    expect(resolveModelPath(configWith())).toBeUndefined();
    expect(resolveModelPath(configWith('chat'))).toBe(path.join(directory, 'chat.gguf'));
    expect(resolveModelPath(configWith(path.join(directory, 'chat.gguf')))).toBe(path.join(directory, 'chat.gguf'));
    expect(() => resolveModelPath(configWith('chat', { models: { directory: path.join(dataDir, 'elsewhere') } }))).toThrow(/no model named "chat" in .*elsewhere/);

    expect(() => resolveModelPath(configWith('missing'))).toThrow(new RegExp(`no file ${path.resolve('missing')} and no model named "missing" in ${directory}`));
    expect(() => resolveModelPath(configWith('/nowhere/model.gguf'))).toThrow(/the model file \/nowhere\/model\.gguf does not exist/);
  });
});

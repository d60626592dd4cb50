import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DocentConfig } from '../config/schema.js';
import { DocentError, type ErrorCode, isDocentError } from '../core/errors.js';
import { downloadToFile, type DownloadProgress } from './download-to-file.js';
import { checksumOfFile } from './file-checksum.js';
import { readGgufDetails, type GgufDetails } from './gguf-details.js';
import { describeFileStart, startsWithGgufMagic } from './gguf-file.js';
import { assertGgufFile } from './gguf-file.js';
import { findRecord, manifestPathOf, modelsDirectoryOf, readManifest, writeManifest, type ModelRecord } from './model-manifest.js';
import { assertModelName, parseModelReference } from './model-reference.js';

/**
 * The models directory: GGUF files fetched by `docent models pull`, and `models.json`
 * recording where each came from and its SHA-256, so that a copy carried to an
 * air-gapped site, or a file that a full disk truncated, can be verified later.
 */
export interface ModelStoreOptions {
  /** The models directory (see `modelsDirectoryOf`). */
  directory: string;
}

export interface PullOptions extends ModelStoreOptions {
  /** Defaults to the file name without `.gguf`. */
  name?: string;
  /** Expected SHA-256 (hex); the download is refused when it differs. */
  sha256?: string;
  /** Replace a model of the same name. */
  force?: boolean;
  onProgress?: (progress: DownloadProgress) => void;
  signal?: AbortSignal;
  /** Where HF_ENDPOINT and HF_TOKEN are read; the process environment by default. */
  environment?: NodeJS.ProcessEnv;
  /** For the recorded `pulledAt`. */
  now?: () => Date;
}

export interface PulledModel extends ModelRecord {
  /** Absolute path of the file. */
  path: string;
  details: GgufDetails;
  /** Whether an older model of the same name was replaced. */
  replaced: boolean;
}

const sha256Pattern = /^[0-9a-f]{64}$/;

function normaliseSha256(value: string, what: string): string {
  const normalised = value.trim().toLowerCase();
  if (!sha256Pattern.test(normalised)) throw new DocentError('invalid_request', `${what} "${value}" is not a SHA-256 checksum (64 hexadecimal digits)`);
  return normalised;
}

/**
 * Hugging Face publishes the SHA-256 of every large (LFS) file as the `X-Linked-Etag`
 * header of its resolve answer, so a download from it is checked even without `--sha256`.
 */
function publishedSha256(responses: Headers[]): string | undefined {
  for (const headers of responses) {
    const value = headers.get('x-linked-etag')?.replace(/^W\//, '').replace(/"/g, '').toLowerCase();
    if (value && sha256Pattern.test(value)) return value;
  }
  return undefined;
}

/** Downloads a model into the models directory and records it; see `parseModelReference` for what `reference` may be. */
export async function pullModel(reference: string, options: PullOptions): Promise<PulledModel> {
  const environment = options.environment ?? process.env;
  const parsed = parseModelReference(reference, environment);
  const name = options.name ?? parsed.defaultName;
  assertModelName(name);
  const expected = options.sha256 === undefined ? undefined : normaliseSha256(options.sha256, '--sha256');
  const directory = path.resolve(options.directory);
  const manifest = readManifest(directory);
  const existing = findRecord(manifest, name);
  const fileName = `${name}.gguf`;
  const target = path.join(directory, fileName);
  if (!options.force) {
    if (existing) {
      throw new DocentError('invalid_request', `a model named "${name}" already exists (${path.join(directory, existing.file)}, from ${existing.source}); pass --force to replace it, or --name to keep both`);
    }
    if (existsSync(target)) throw new DocentError('invalid_request', `${target} already exists; pass --force to replace it, or --name to choose another name`);
  }

  await mkdir(directory, { recursive: true });
  const partial = `${target}.partial`;
  const headers: Record<string, string> = {};
  const token = environment.HF_TOKEN?.trim();
  // The token is for Hugging Face (or the mirror at HF_ENDPOINT) only; another host never sees it.
  if (token && parsed.huggingFace) headers.authorization = `Bearer ${token}`;
  try {
    const downloadOptions: Parameters<typeof downloadToFile>[2] = {
      headers,
      label: parsed.source,
      inspectStart: (start) => {
        if (!startsWithGgufMagic(start)) {
          throw new DocentError('model_integrity', `${parsed.source} is not a GGUF file (it starts with ${start.length === 0 ? 'nothing: the download is empty' : describeFileStart(start)}); Docent runs GGUF models only`);
        }
      },
    };
    if (options.onProgress) downloadOptions.onProgress = options.onProgress;
    if (options.signal) downloadOptions.signal = options.signal;
    const download = await downloadToFile(parsed.url, partial, downloadOptions);

    const published = parsed.huggingFace ? publishedSha256(download.responses) : undefined;
    for (const [claimed, by] of [
      [expected, '--sha256'],
      [published, 'the checksum the server publishes (X-Linked-Etag)'],
    ] as const) {
      if (claimed !== undefined && claimed !== download.sha256) {
        throw new DocentError('model_integrity', `${parsed.source}: the download's SHA-256 is ${download.sha256} but ${by} is ${claimed}; the file was not kept`);
      }
    }
    const details = await readGgufDetails(partial);
    await rename(partial, target);
    const record: ModelRecord = {
      name,
      file: fileName,
      source: parsed.source,
      sha256: download.sha256,
      bytes: download.bytes,
      pulledAt: (options.now?.() ?? new Date()).toISOString(),
    };
    // Read again: another pull may have recorded a different model meanwhile.
    const latest = readManifest(directory);
    await writeManifest(directory, { models: [...latest.models.filter((model) => model.name !== name), record] });
    return { ...record, path: target, details, replaced: existing !== undefined };
  } catch (error) {
    await rm(partial, { force: true });
    if (isDocentError(error)) throw error;
    throw new DocentError('download_failed', `pulling ${parsed.source} failed: ${(error as Error).message}`, { cause: error });
  }
}

/** The result of checking one model against its recorded checksum. */
export interface ModelCheck {
  /** The recorded name; undefined for a file that is not in models.json. */
  name?: string;
  path: string;
  ok: boolean;
  /** `recorded`: the checksum matches models.json; `unrecorded`: a GGUF file with nothing to compare to. */
  status: 'recorded' | 'unrecorded' | 'failed';
  sha256?: string;
  recordedSha256?: string;
  bytes?: number;
  details?: GgufDetails;
  /** Why the check failed, naming the file (and both checksums on a mismatch). */
  problem?: string;
  code?: ErrorCode;
}

/** `llm.model` values that are paths rather than names of pulled models. */
export function looksLikeModelPath(value: string): boolean {
  return value.includes('/') || value.includes(path.sep) || value.toLowerCase().endsWith('.gguf');
}

async function checkFolder(record: ModelRecord, folder: string): Promise<ModelCheck> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new DocentError('model_unavailable', `the model folder ${folder} does not exist`);
  for (const file of record.files ?? []) {
    const filePath = path.join(folder, file.path);
    if (!existsSync(filePath)) throw new DocentError('model_unavailable', `${filePath} (part of model "${record.name}") does not exist`);
    const actual = await checksumOfFile(filePath);
    if (actual.sha256 !== file.sha256) {
      throw new DocentError('model_integrity', `${filePath} has changed: its SHA-256 is ${actual.sha256} but models.json records ${file.sha256}`);
    }
  }
  return { name: record.name, path: folder, ok: true, status: 'recorded', sha256: record.sha256, recordedSha256: record.sha256, bytes: record.bytes };
}

async function checkRecord(record: ModelRecord, directory: string): Promise<ModelCheck> {
  const filePath = path.join(directory, record.file);
  if (record.files) return checkFolder(record, filePath);
  await assertGgufFile(filePath);
  const actual = await checksumOfFile(filePath);
  if (actual.sha256 !== record.sha256) {
    throw new DocentError(
      'model_integrity',
      `${filePath} has changed: its SHA-256 is ${actual.sha256} but models.json records ${record.sha256}${actual.bytes === record.bytes ? '' : ` (${actual.bytes} bytes, recorded ${record.bytes})`}; pull it again with --force`,
    );
  }
  return { name: record.name, path: filePath, ok: true, status: 'recorded', sha256: actual.sha256, recordedSha256: record.sha256, bytes: actual.bytes, details: await readGgufDetails(filePath) };
}

/**
 * Re-hashes a model and compares it with models.json. `nameOrPath` is a recorded name, or
 * a path to a GGUF file (checked against the record that points at it, if any). Throws
 * `model_unavailable` for a missing file and `model_integrity` for a mismatch or a file
 * that is not GGUF, each naming the file.
 */
export async function verifyModel(nameOrPath: string, options: ModelStoreOptions): Promise<ModelCheck> {
  const directory = path.resolve(options.directory);
  const manifest = readManifest(directory);
  const byName = findRecord(manifest, nameOrPath);
  if (byName) return checkRecord(byName, directory);
  if (!looksLikeModelPath(nameOrPath) && !existsSync(nameOrPath)) {
    throw new DocentError('model_unavailable', `no model named "${nameOrPath}" in ${manifestPathOf(directory)}, and no file ${path.resolve(nameOrPath)}`);
  }
  const filePath = path.resolve(nameOrPath);
  const byPath = manifest.models.find((record) => path.join(directory, record.file) === filePath);
  if (byPath) return checkRecord(byPath, directory);
  await assertGgufFile(filePath);
  const actual = await checksumOfFile(filePath);
  return { path: filePath, ok: true, status: 'unrecorded', sha256: actual.sha256, bytes: actual.bytes, details: await readGgufDetails(filePath) };
}

function failedCheck(error: unknown, name: string | undefined, filePath: string): ModelCheck {
  if (!isDocentError(error)) throw error;
  const check: ModelCheck = { path: filePath, ok: false, status: 'failed', problem: error.message, code: error.code };
  if (name !== undefined) check.name = name;
  return check;
}

/** Checks one model, reporting a failure as a result instead of throwing (for `docent models verify`). */
export async function checkModel(nameOrPath: string, options: ModelStoreOptions): Promise<ModelCheck> {
  try {
    return await verifyModel(nameOrPath, options);
  } catch (error) {
    return failedCheck(error, looksLikeModelPath(nameOrPath) ? undefined : nameOrPath, path.resolve(nameOrPath));
  }
}

/** Checks every recorded model; one failure does not stop the others. */
export async function verifyModels(options: ModelStoreOptions): Promise<ModelCheck[]> {
  const directory = path.resolve(options.directory);
  const checks: ModelCheck[] = [];
  for (const record of readManifest(directory).models) {
    try {
      checks.push(await checkRecord(record, directory));
    } catch (error) {
      checks.push(failedCheck(error, record.name, path.join(directory, record.file)));
    }
  }
  return checks;
}

export interface ListedModel {
  name: string;
  path: string;
  /** Whether models.json records it; a GGUF file copied into the directory by hand is listed too. */
  recorded: boolean;
  present: boolean;
  /** Size on disk now (the recorded size is `record.bytes`). */
  bytesOnDisk?: number;
  record?: ModelRecord;
  details?: GgufDetails;
}

async function detailsIfReadable(filePath: string): Promise<GgufDetails | undefined> {
  try {
    await assertGgufFile(filePath);
    return await readGgufDetails(filePath);
  } catch {
    // A damaged file is still listed; `verify` is where its problem is explained.
    return undefined;
  }
}

export async function listModels(options: ModelStoreOptions): Promise<ListedModel[]> {
  const directory = path.resolve(options.directory);
  const manifest = readManifest(directory);
  const listed: ListedModel[] = [];
  for (const record of manifest.models) {
    const filePath = path.join(directory, record.file);
    const information = await stat(filePath).catch(() => undefined);
    const entry: ListedModel = { name: record.name, path: filePath, recorded: true, present: information !== undefined, record };
    if (information) {
      entry.bytesOnDisk = information.isDirectory() ? record.bytes : information.size;
      if (!record.files) {
        const details = await detailsIfReadable(filePath);
        if (details) entry.details = details;
      }
    }
    listed.push(entry);
  }
  const recordedFiles = new Set(manifest.models.map((record) => record.file));
  const files = existsSync(directory) ? await readdir(directory) : [];
  for (const file of files.filter((name) => name.toLowerCase().endsWith('.gguf') && !recordedFiles.has(name)).sort()) {
    const filePath = path.join(directory, file);
    const entry: ListedModel = { name: file.replace(/\.gguf$/i, ''), path: filePath, recorded: false, present: true, bytesOnDisk: (await stat(filePath)).size };
    const details = await detailsIfReadable(filePath);
    if (details) entry.details = details;
    listed.push(entry);
  }
  return listed;
}

/**
 * Where the GGUF file named by `model` is: a path when it is an existing file or looks like
 * one (has a separator or ends in .gguf), otherwise the name of a pulled model. Throws
 * `model_unavailable` naming what was tried when there is no such file.
 */
export function resolveModelFile(model: string, directory: string): string {
  const asPath = path.resolve(model);
  if (existsSync(asPath) && statSync(asPath).isFile()) return asPath;
  if (looksLikeModelPath(model)) throw new DocentError('model_unavailable', `llm.model: the model file ${asPath} does not exist`);
  const modelsDirectory = path.resolve(directory);
  const record = readManifest(modelsDirectory).models.find((candidate) => candidate.name === model && candidate.kind !== 'embedding');
  if (record) {
    const filePath = path.join(modelsDirectory, record.file);
    if (!existsSync(filePath)) {
      throw new DocentError('model_unavailable', `llm.model "${model}": ${manifestPathOf(modelsDirectory)} records it as ${filePath}, which does not exist; pull it again with docent models pull ${record.source} --name ${model} --force`);
    }
    return filePath;
  }
  // A file copied into the models directory by hand works by name too, as `docent models list` shows it.
  const copied = path.join(modelsDirectory, `${model}.gguf`);
  if (existsSync(copied)) return copied;
  throw new DocentError(
    'model_unavailable',
    `llm.model "${model}": there is no file ${asPath} and no model named "${model}" in ${modelsDirectory}; pull one with docent models pull <owner/repo/file.gguf> --name ${model}, or set llm.model to the path of a GGUF file`,
  );
}

/** The GGUF file the runtime should load, or undefined when `llm.model` is not set. */
export function resolveModelPath(config: Pick<DocentConfig, 'llm' | 'dataDir' | 'models'>): string | undefined {
  return config.llm.model === undefined ? undefined : resolveModelFile(config.llm.model, modelsDirectoryOf(config));
}

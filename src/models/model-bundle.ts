/**
 * `docent models bundle`: one archive that carries the configured models to an air-gapped
 * site, where nothing can be downloaded. Its layout mirrors the data directory:
 *
 *   models/models.json        names, sources and SHA-256 of what is inside
 *   models/<name>.gguf        the chat model (llm.model)
 *   models/<folder>/...       the embedding model folder (embedding.modelPath, provider transformers)
 *   docent.yaml               the settings file, when there is one
 *
 * At the site:
 *
 *   tar -xzf docent-models.tar.gz -C /var/lib/docent          # the data directory
 *   docent --data-dir /var/lib/docent --config /var/lib/docent/docent.yaml models verify
 *
 * `models verify` re-hashes every file against models.json, so a copy damaged on the way
 * (a truncated USB transfer) is caught before the bot starts. A chat model configured by
 * name works as is; a model configured by path is shipped under its file name, and the
 * notes returned here say which setting to change at the site.
 *
 * Only the settings file is shipped: environment variables are left out on purpose, since
 * that is where secrets (DOCENT_LLM_API_KEY) live.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create as createTar } from 'tar';
import { environmentSecrets } from '../config/load.js';
import type { DocentConfig } from '../config/schema.js';
import { DocentError } from '../core/errors.js';
import { checksumOfFile, checksumsOfFolder, combinedChecksum } from './file-checksum.js';
import { assertGgufFile } from './gguf-file.js';
import { manifestFileName, modelsDirectoryOf, readManifest, type ModelRecord } from './model-manifest.js';
import { assertModelName } from './model-reference.js';
import { looksLikeModelPath, resolveModelPath } from './model-store.js';

export interface BundleOptions {
  /** The settings file to include; left out when it does not exist. */
  configFile?: string;
  /** Only the names of DOCENT_* variables are read, to say which settings are not in the archive. */
  environment?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export interface BundleResult {
  output: string;
  /** Size of the archive. */
  bytes: number;
  /** Top-level entries and files, as `tar -tzf` shows them (folders summarised). */
  entries: string[];
  models: ModelRecord[];
  /** What the admin must do differently at the site. */
  notes: string[];
}

interface BundleItem {
  record: ModelRecord;
  /** Where the file or folder is on this machine. */
  from: string;
}

function nameFromPath(filePath: string): string {
  const stem = path.basename(filePath).replace(/\.gguf$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return stem === '' ? 'model' : stem;
}

async function chatModelItem(config: DocentConfig, now: Date, notes: string[]): Promise<BundleItem | undefined> {
  const filePath = resolveModelPath(config);
  if (filePath === undefined) return undefined;
  const directory = modelsDirectoryOf(config);
  const record = readManifest(directory).models.find((candidate) => path.join(directory, candidate.file) === filePath);
  await assertGgufFile(filePath);
  const actual = await checksumOfFile(filePath);
  if (record) {
    // Shipping a damaged file to a site that cannot download another is the one mistake worth a second read of the file.
    if (actual.sha256 !== record.sha256) {
      throw new DocentError('model_integrity', `${filePath} has changed since it was pulled: its SHA-256 is ${actual.sha256} but models.json records ${record.sha256}; pull it again before bundling`);
    }
  }
  const name = record?.name ?? nameFromPath(filePath);
  assertModelName(name);
  // A path from this machine rarely exists at the site; the name always resolves in the unpacked models directory.
  if (looksLikeModelPath(config.llm.model!)) notes.push(`llm.model is the path ${config.llm.model}: at the site set llm.model to "${name}" (the bundled models/${record?.file ?? `${name}.gguf`}), or put the file at that path`);
  if (record) return { record, from: filePath };
  return { record: { name, file: `${name}.gguf`, source: filePath, sha256: actual.sha256, bytes: actual.bytes, pulledAt: now.toISOString() }, from: filePath };
}

async function embeddingModelItem(config: DocentConfig, now: Date, notes: string[]): Promise<BundleItem | undefined> {
  if (config.embedding.provider !== 'transformers' || config.embedding.modelPath === undefined) return undefined;
  const folder = path.resolve(config.embedding.modelPath);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new DocentError('model_unavailable', `embedding.modelPath: the model folder ${folder} does not exist`);
  const files = await checksumsOfFolder(folder);
  if (files.length === 0) throw new DocentError('model_unavailable', `embedding.modelPath: the model folder ${folder} is empty`);
  const name = nameFromPath(folder);
  notes.push(`embedding.modelPath is ${config.embedding.modelPath}: at the site set it to <data directory>/models/${name}`);
  return {
    record: { name, kind: 'embedding', file: name, source: folder, sha256: combinedChecksum(files), bytes: files.reduce((sum, file) => sum + file.bytes, 0), pulledAt: now.toISOString(), files },
    from: folder,
  };
}

/** Writes a gzip-compressed tar archive of the configured models to `outputPath`; see the comment at the top for its layout. */
export async function bundleModels(config: DocentConfig, outputPath: string, options: BundleOptions = {}): Promise<BundleResult> {
  const now = options.now?.() ?? new Date();
  const notes: string[] = [];
  const items = [await chatModelItem(config, now, notes), await embeddingModelItem(config, now, notes)].filter((item): item is BundleItem => item !== undefined);
  if (items.length === 0) {
    throw new DocentError('invalid_request', 'nothing to bundle: set llm.model (a GGUF path or a pulled model name) or embedding.modelPath with embedding.provider transformers');
  }
  if (items.length === 2 && items[0]!.record.file === items[1]!.record.file) {
    throw new DocentError('invalid_request', `the chat model and the embedding model would both be stored as models/${items[0]!.record.file}; rename one of them`);
  }
  const configFile = options.configFile === undefined ? undefined : path.resolve(options.configFile);
  const includeConfig = configFile !== undefined && existsSync(configFile);
  if (!includeConfig) notes.push('no settings file was found, so none is in the archive');
  const environmentSettings = Object.keys(options.environment ?? process.env).filter(
    (variable) => variable.startsWith('DOCENT_') && variable !== 'DOCENT_CONFIG' && !environmentSecrets.has(variable),
  );
  if (environmentSettings.length > 0) notes.push(`settings from environment variables are not in the archive; set them at the site too: ${environmentSettings.sort().join(', ')}`);

  const output = path.resolve(outputPath);
  const partial = `${output}.partial`;
  // The archive is built from a folder of symbolic links that tar follows: gigabytes of model are streamed from where they are, never copied.
  const staging = await mkdtemp(path.join(tmpdir(), 'docent-bundle-'));
  try {
    await mkdir(path.join(staging, 'models'));
    for (const item of items) await symlink(item.from, path.join(staging, 'models', item.record.file));
    const models = items.map((item) => item.record);
    await writeFile(path.join(staging, 'models', manifestFileName), `${JSON.stringify({ models }, null, 2)}\n`);
    if (includeConfig) await symlink(configFile, path.join(staging, 'docent.yaml'));
    const roots = ['models/models.json', ...models.map((model) => `models/${model.file}`), ...(includeConfig ? ['docent.yaml'] : [])];

    await mkdir(path.dirname(output), { recursive: true });
    await createTar({ gzip: true, file: partial, cwd: staging, follow: true, portable: true }, roots);
    await rename(partial, output);
    const entries = roots.flatMap((root) => {
      const model = models.find((candidate) => `models/${candidate.file}` === root);
      return model?.files ? model.files.map((file) => `${root}/${file.path}`) : [root];
    });
    return { output, bytes: (await stat(output)).size, entries, models, notes };
  } catch (error) {
    await rm(partial, { force: true });
    throw error;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

import path from 'node:path';
import { DocentError } from '../core/errors.js';

/** Where `docent models pull` fetches a model from, worked out from what the admin typed. */
export interface ModelReference {
  /** The URL to download. */
  url: string;
  /** What the admin typed, minus any credentials in a URL: recorded in models.json and shown in messages. */
  source: string;
  /** The name the model gets when `--name` is not given: its file name without `.gguf`. */
  defaultName: string;
  /** Whether the URL is on the Hugging Face endpoint, the only host that may see HF_TOKEN. */
  huggingFace: boolean;
}

export const defaultHuggingFaceEndpoint = 'https://huggingface.co';

/** Model names become file names and `llm.model` values, so they must not look like a path. */
const modelNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function assertModelName(name: string): void {
  if (!modelNamePattern.test(name) || name.toLowerCase().endsWith('.gguf') || name.length > 200) {
    throw new DocentError(
      'invalid_request',
      `"${name}" is not a usable model name: use letters, digits, ".", "_" and "-", starting with a letter or digit and not ending in .gguf (llm.model treats such values as file paths)`,
    );
  }
}

function nameFromFile(fileName: string): string {
  const stem = fileName.replace(/\.gguf$/i, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return stem === '' ? 'model' : stem;
}

function withoutCredentials(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

function parseUrl(reference: string, huggingFaceEndpoint: string): ModelReference {
  let url: URL;
  try {
    url = new URL(reference);
  } catch {
    throw new DocentError('invalid_request', `"${reference}" is not a valid URL`);
  }
  const fileName = decodeURIComponent(url.pathname.split('/').filter(Boolean).at(-1) ?? '');
  if (fileName === '') throw new DocentError('invalid_request', `${withoutCredentials(url)} does not name a file`);
  return { url: url.href, source: withoutCredentials(url), defaultName: nameFromFile(fileName), huggingFace: url.origin === new URL(huggingFaceEndpoint).origin };
}

/**
 * Accepts what people copy from Hugging Face and from their own mirrors:
 *
 *   owner/repo/path/to/file.gguf            the main branch
 *   owner/repo/path/to/file.gguf@revision   a branch, tag or commit
 *   hf://owner/repo/path/to/file.gguf       the same, as node-llama-cpp and others write it
 *   https://host/any/file.gguf              any http(s) URL
 *
 * Hugging Face references become `<endpoint>/owner/repo/resolve/<revision>/path`, the
 * documented download address; the endpoint is HF_ENDPOINT when a site uses a mirror.
 */
export function parseModelReference(reference: string, environment: NodeJS.ProcessEnv = process.env): ModelReference {
  const trimmed = reference.trim();
  const endpoint = (environment.HF_ENDPOINT?.trim() || defaultHuggingFaceEndpoint).replace(/\/+$/, '');
  if (/^https?:\/\//i.test(trimmed)) return parseUrl(trimmed, endpoint);

  const withoutScheme = trimmed.replace(/^hf:\/\//i, '');
  if (/^[a-z][a-z0-9+.-]*:/i.test(withoutScheme)) {
    throw new DocentError('invalid_request', `"${reference}": only http(s) URLs and Hugging Face references (owner/repo/file.gguf) can be pulled`);
  }
  const at = withoutScheme.lastIndexOf('@');
  const location = at === -1 ? withoutScheme : withoutScheme.slice(0, at);
  const revision = at === -1 ? 'main' : withoutScheme.slice(at + 1);
  const segments = location.split('/');
  const usable = segments.length >= 3 && segments.every((segment) => segment !== '' && segment !== '.' && segment !== '..') && revision !== '';
  if (!usable) {
    throw new DocentError(
      'invalid_request',
      `"${reference}" is not a model reference: expected owner/repo/path/to/file.gguf (optionally @revision), hf://owner/repo/file.gguf, or an http(s) URL`,
    );
  }
  const [owner, repository, ...filePath] = segments as [string, string, ...string[]];
  const encodedPath = filePath.map(encodeURIComponent).join('/');
  // A revision such as refs/pr/1 is one path segment on the resolve endpoint, so its slashes are encoded.
  const url = `${endpoint}/${encodeURIComponent(owner)}/${encodeURIComponent(repository)}/resolve/${encodeURIComponent(revision)}/${encodedPath}`;
  return { url, source: `hf://${location}${at === -1 ? '' : `@${revision}`}`, defaultName: nameFromFile(path.posix.basename(location)), huggingFace: true };
}

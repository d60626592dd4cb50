import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for huggingface.co's download endpoint, as its documentation and
 * `huggingface_hub` describe it:
 *
 *   GET|HEAD /:owner/:repo/resolve/:revision/:path*
 *     302 to the CDN (here: /cdn/<n> on the same server), with X-Repo-Commit,
 *         X-Linked-Etag (the file's SHA-256 in quotes, as for LFS files) and X-Linked-Size
 *     404 with X-Error-Code EntryNotFound for an unknown file (RepoNotFound for an unknown repo)
 *     401 with X-Error-Code GatedRepo when the file needs a token and none (or a wrong one) was sent
 *   GET|HEAD /cdn/<n>: the bytes, with content-length
 *
 * Point HF_ENDPOINT at `url` and the real download code talks to it instead of the internet.
 */
export interface StandInFile {
  /** `owner/repo`. */
  repository: string;
  /** Path inside the repository, e.g. `tiny.gguf` or `quantised/tiny-q4.gguf`. */
  path: string;
  content: Buffer;
  /** Defaults to `main`. */
  revision?: string;
  /** The file is only served to `Authorization: Bearer <token>`. */
  token?: string;
  /** Published in X-Linked-Etag instead of the true SHA-256 (to test that a mismatch is caught); null publishes none. */
  publishedSha256?: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization?: string;
}

export interface HuggingFaceStandIn {
  /** Base URL, the value for HF_ENDPOINT. */
  url: string;
  requests: RecordedRequest[];
  /** Adds or replaces a file while the server runs. */
  addFile(file: StandInFile): void;
  close(): Promise<void>;
}

const commit = 'a'.repeat(40);

export async function startHuggingFaceStandIn(files: StandInFile[] = []): Promise<HuggingFaceStandIn> {
  const served: StandInFile[] = [];
  const requests: RecordedRequest[] = [];
  const addFile = (file: StandInFile): void => {
    const index = served.findIndex((candidate) => candidate.repository === file.repository && candidate.path === file.path && (candidate.revision ?? 'main') === (file.revision ?? 'main'));
    if (index === -1) served.push(file);
    else served[index] = file;
  };
  files.forEach(addFile);

  const answer = (response: ServerResponse, status: number, headers: Record<string, string> = {}, body = ''): void => {
    response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': String(Buffer.byteLength(body)), ...headers });
    response.end(body);
  };

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    const recorded: RecordedRequest = { method: request.method ?? 'GET', path: url.pathname };
    if (request.headers.authorization !== undefined) recorded.authorization = request.headers.authorization;
    requests.push(recorded);
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(response, 405);
    const head = request.method === 'HEAD';

    const cdn = /^\/cdn\/(\d+)$/.exec(url.pathname);
    if (cdn) {
      const file = served[Number(cdn[1])];
      if (!file) return answer(response, 404, {}, 'Not Found');
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.content.length) });
      response.end(head ? undefined : file.content);
      return;
    }

    const resolve = /^\/([^/]+)\/([^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!resolve) return answer(response, 404, {}, 'Not Found');
    const [, owner, repositoryName, revision, filePath] = resolve.map((part) => decodeURIComponent(part ?? '')) as [string, string, string, string, string];
    const repository = `${owner}/${repositoryName}`;
    if (!served.some((file) => file.repository === repository)) return answer(response, 404, { 'x-error-code': 'RepoNotFound' }, 'Repository not found');
    const index = served.findIndex((file) => file.repository === repository && file.path === filePath && (file.revision ?? 'main') === revision);
    const file = served[index];
    if (!file) return answer(response, 404, { 'x-error-code': 'EntryNotFound' }, 'Entry not found');
    if (file.token !== undefined && request.headers.authorization !== `Bearer ${file.token}`) {
      return answer(response, 401, { 'x-error-code': 'GatedRepo' }, 'Access to this model is restricted. You must be authenticated to access it.');
    }
    const published = file.publishedSha256 === undefined ? createHash('sha256').update(file.content).digest('hex') : file.publishedSha256;
    const headers: Record<string, string> = { location: `/cdn/${index}?expires=never&signature=stand-in`, 'x-repo-commit': commit, 'x-linked-size': String(file.content.length) };
    if (published !== null) headers['x-linked-etag'] = `"${published}"`;
    answer(response, 302, headers);
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    addFile,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

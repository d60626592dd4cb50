import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectorEnvironment } from '../../src/core/connector.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { IndexedVersions, listedIds } from './fixtures/connector-run.js';
import { startGitHttpServer, type GitHttpServer } from './fixtures/git-http-server.js';
import { isolatedGitVariables, TestRepository } from './fixtures/test-repository.js';
import { GitConnector } from './git-connector.js';
import { gitConnectorConfigSchema } from './git-connector-config.js';

const token = 'glpat-Zx81-very-secret-token';

describe('Git connector over smart HTTP (git http-backend) with a token', () => {
  let directory: string;
  let home: string;
  let repository: TestRepository;
  let server: GitHttpServer;

  beforeAll(async () => {
    directory = await temporaryDirectory('docent-git-http-');
    home = path.join(directory, 'home');
    repository = await TestRepository.create(directory, home);
    await repository.write('README.md', '# Handbook\n');
    await repository.write('docs/휴가 정책.md', '# 휴가\n');
    await repository.commit('Handbook');
    server = await startGitHttpServer({ projectRoot: directory, variables: isolatedGitVariables(home), token });
  });

  afterAll(async () => {
    await server?.close();
  });

  function connector(settings: Record<string, unknown>, variables: Record<string, string> = {}): GitConnector {
    const config = gitConnectorConfigSchema.parse({ repository: `${server.url}/server.git`, ...settings });
    const environment: ConnectorEnvironment = {
      name: 'handbook',
      env: { ...isolatedGitVariables(home), ...variables },
      cacheDirectory: path.join(directory, 'cache'),
      maxDocumentBytes: 1024 * 1024,
    };
    return new GitConnector(config, environment);
  }

  it('fetches with the token from the environment, sent as a header and never on a command line', async () => {
    const authorized = connector({ credentials: { tokenVariable: 'HANDBOOK_GIT_TOKEN' }, webUrl: 'https://git.corp/{repo}/blob/{commit}/{path}' }, { HANDBOOK_GIT_TOKEN: token });
    const requestsBefore = server.authorizations.length;
    await authorized.validate(new AbortController().signal);
    const index = new IndexedVersions();
    const outcome = await index.load(authorized, undefined);

    expect(outcome.failures).toEqual([]);
    expect(outcome.documents.map((document) => document.name).sort()).toEqual(['README.md', '휴가 정책.md']);
    const commit = (await repository.git('rev-parse', 'HEAD')).trim();
    expect(outcome.documents.find((document) => document.name === '휴가 정책.md')!.uri).toBe(
      `https://git.corp/server/blob/${commit}/docs/${encodeURIComponent('휴가 정책.md')}`,
    );
    expect(await listedIds(authorized)).toEqual(['git:handbook:README.md', 'git:handbook:docs/휴가 정책.md']);
    const basic = `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
    expect(server.authorizations.slice(requestsBefore).every((header) => header === basic)).toBe(true);
    expect(server.commandLinesWithToken).toEqual([]);
    if (process.platform === 'linux') expect(server.commandLinesWithServer.length).toBeGreaterThan(0);
    expect(outcome.log.join('\n')).not.toContain(token);

    await repository.write('docs/new.md', '# New\n');
    await repository.commit('New');
    const second = await index.load(authorized, outcome.checkpoint);
    expect(second.documents.map((document) => document.name)).toEqual(['new.md']);
  });

  it('sends a bearer token when configured so', async () => {
    const bearer = connector({ credentials: { tokenVariable: 'HANDBOOK_GIT_TOKEN', scheme: 'bearer' } }, { HANDBOOK_GIT_TOKEN: token });
    const requestsBefore = server.authorizations.length;
    await bearer.validate(new AbortController().signal);
    expect(server.authorizations.slice(requestsBefore)).toContain(`Bearer ${token}`);
  });

  it('says credentials_rejected, not retryable, for a wrong or missing token, without repeating the token', async () => {
    const wrong = connector({ credentials: { tokenVariable: 'HANDBOOK_GIT_TOKEN' } }, { HANDBOOK_GIT_TOKEN: 'not-the-token' });
    const failure = (await wrong.validate(new AbortController().signal).catch((error: unknown) => error)) as Error;
    expect(failure).toMatchObject({ code: 'credentials_rejected', retryable: false });
    expect(failure.message).not.toContain('not-the-token');
    await expect(new IndexedVersions().load(wrong, undefined)).rejects.toMatchObject({ code: 'credentials_rejected' });
    await expect(listedIds(wrong)).rejects.toMatchObject({ code: 'credentials_rejected' });

    const anonymous = connector({});
    await expect(anonymous.validate(new AbortController().signal)).rejects.toMatchObject({ code: 'credentials_rejected' });

    const unset = connector({ credentials: { tokenVariable: 'UNSET_GIT_TOKEN' } });
    await expect(unset.validate(new AbortController().signal)).rejects.toMatchObject({ code: 'credentials_rejected', message: expect.stringMatching(/UNSET_GIT_TOKEN/) });
  });

  it('says source_unreachable, retryable, when nothing listens at the URL', async () => {
    const stopped = await startGitHttpServer({ projectRoot: directory, variables: isolatedGitVariables(home) });
    await stopped.close();
    const config = gitConnectorConfigSchema.parse({ repository: `${stopped.url}/server.git` });
    const unreachable = new GitConnector(config, { name: 'handbook', env: isolatedGitVariables(home), cacheDirectory: path.join(directory, 'cache'), maxDocumentBytes: 1024 });
    await expect(unreachable.validate(new AbortController().signal)).rejects.toMatchObject({ code: 'source_unreachable', retryable: true });
    await expect(listedIds(unreachable)).rejects.toMatchObject({ code: 'source_unreachable', retryable: true });
  });
});

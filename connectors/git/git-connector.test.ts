import { copyFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConnectorEnvironment } from '../../src/core/connector.js';
import { DocentError } from '../../src/core/errors.js';
import { parseDocument } from '../../src/pipeline/parse/parse-document.js';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { IndexedVersions, listedIds } from './fixtures/connector-run.js';
import { isolatedGitVariables, TestRepository } from './fixtures/test-repository.js';
import { GitConnector } from './git-connector.js';
import { gitConnectorConfigSchema } from './git-connector-config.js';

interface Setup {
  repository: TestRepository;
  cacheDirectory: string;
  home: string;
  /** A connector on this repository; `settings` are the admin's (validated by the real schema). */
  connector(settings?: Record<string, unknown>, options?: { maxDocumentBytes?: number; repository?: string }): GitConnector;
}

type Flavour = 'local path' | 'file:// URL';

async function setUp(flavour: Flavour): Promise<Setup> {
  const directory = await temporaryDirectory('docent-git-');
  const home = path.join(directory, 'home');
  const repository = await TestRepository.create(directory, home);
  const cacheDirectory = path.join(directory, 'cache');
  return {
    repository,
    cacheDirectory,
    home,
    connector(settings = {}, options = {}) {
      const config = gitConnectorConfigSchema.parse({ repository: options.repository ?? (flavour === 'local path' ? repository.server : repository.serverUrl), ...settings });
      const environment: ConnectorEnvironment = {
        name: 'handbook',
        env: isolatedGitVariables(home),
        cacheDirectory,
        maxDocumentBytes: options.maxDocumentBytes ?? 1024 * 1024,
      };
      return new GitConnector(config, environment);
    },
  };
}

/** The starting tree: prose at several depths, a Korean name, a name with spaces, and files that are not documents. */
async function writeHandbook(repository: TestRepository): Promise<string> {
  await repository.write('README.md', '# Handbook\n\nStart here.\n');
  await repository.write('docs/leave policy.md', '# Leave\n\nTwenty-five days a year.\n');
  await repository.write('docs/안내/휴가 정책.md', '# 휴가\n\n연차는 15일입니다.\n');
  await repository.write('guides/setup.rst', 'Setup\n=====\n\nInstall the tools.\n');
  await repository.write('notes.txt', 'Plain notes.\n');
  await repository.write('src/main.ts', 'export const answer = 42;\n');
  await repository.write('docs/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  await repository.write('node_modules/left-pad/README.md', '# left-pad\n');
  return repository.commit('Handbook');
}

const handbookPaths = ['README.md', 'docs/leave policy.md', 'docs/안내/휴가 정책.md', 'guides/setup.rst', 'notes.txt'];

function ids(paths: string[]): string[] {
  return paths.map((file) => `git:handbook:${file}`).sort();
}

function yieldedPaths(outcome: { documents: Array<{ id: string }> }): string[] {
  return outcome.documents.map((document) => document.id.slice('git:handbook:'.length)).sort();
}

describe.each<Flavour>(['local path', 'file:// URL'])('Git connector on a %s', (flavour) => {
  it('indexes the matching files of the default branch on the first run, with blob versions and commit dates', async () => {
    const setup = await setUp(flavour);
    const firstCommitDate = setup.repository.nextCommitDate();
    const first = await writeHandbook(setup.repository);
    const secondCommitDate = setup.repository.nextCommitDate();
    await setup.repository.write('notes.txt', 'Plain notes, revised.\n');
    const second = await setup.repository.commit('Revise notes');
    const connector = setup.connector();
    await connector.validate(new AbortController().signal);

    const index = new IndexedVersions();
    const outcome = await index.load(connector, undefined);

    expect(outcome.failures).toEqual([]);
    expect(yieldedPaths(outcome)).toEqual([...handbookPaths].sort());
    expect(outcome.checkpoint.commit).toBe(second);
    expect(outcome.checkpoint.commit).not.toBe(first);
    const byName = new Map(outcome.documents.map((document) => [document.name, document]));
    const korean = byName.get('휴가 정책.md')!;
    expect(korean.id).toBe('git:handbook:docs/안내/휴가 정책.md');
    expect(korean.sourceId).toBe('git:handbook');
    expect(Buffer.from(korean.content).toString('utf8')).toBe('# 휴가\n\n연차는 15일입니다.\n');
    expect(korean.access).toEqual(['everyone']);
    expect(korean.modifiedAt).toBe(firstCommitDate);
    const blobId = (await setup.repository.git('rev-parse', 'HEAD:docs/안내/휴가 정책.md')).trim();
    expect(korean.version.startsWith(`${blobId}:`)).toBe(true);
    expect(byName.get('notes.txt')!.modifiedAt).toBe(secondCommitDate);
    const location = flavour === 'local path' ? setup.repository.server : setup.repository.serverUrl;
    expect(byName.get('leave policy.md')!.uri).toBe(`${location}#docs/leave policy.md`);
    expect(await listedIds(connector)).toEqual(ids(handbookPaths));
  });

  it('yields only what a commit added, changed or renamed, and drops deleted and renamed-away files from the listing', async () => {
    const setup = await setUp(flavour);
    await writeHandbook(setup.repository);
    const connector = setup.connector();
    const index = new IndexedVersions();
    const first = await index.load(connector, undefined);

    const unchanged = await index.load(connector, first.checkpoint);
    expect(unchanged.documents).toEqual([]);
    expect(unchanged.checkpoint).toEqual(first.checkpoint);

    await setup.repository.write('docs/new hire.md', '# New hire\n\nWelcome.\n');
    await setup.repository.write('README.md', '# Handbook\n\nStart here. Updated.\n');
    await setup.repository.remove('notes.txt');
    await setup.repository.move('guides/setup.rst', 'guides/설치.rst');
    await setup.repository.write('src/other.ts', 'export {};\n');
    const head = await setup.repository.commit('Add, change, delete, rename');
    const second = await index.load(connector, first.checkpoint);

    expect(yieldedPaths(second)).toEqual(['README.md', 'docs/new hire.md', 'guides/설치.rst']);
    expect(second.checkpoint.commit).toBe(head);
    expect(second.log.join('\n')).toMatch(/3 matching files added or changed, 2 paths removed/);
    const deleted = await index.prune(connector);
    expect(deleted.sort()).toEqual(ids(['guides/setup.rst', 'notes.txt']));
    expect([...index.versions.keys()].sort()).toEqual(ids(['README.md', 'docs/leave policy.md', 'docs/new hire.md', 'docs/안내/휴가 정책.md', 'guides/설치.rst']));
  });

  it('after a force-push, compares trees when the old commit is still known and lists everything when it is gone', async () => {
    const setup = await setUp(flavour);
    await writeHandbook(setup.repository);
    await setup.repository.write('docs/draft.md', '# Draft\n\nTo be withdrawn.\n');
    await setup.repository.commit('Draft');
    const connector = setup.connector();
    const index = new IndexedVersions();
    const first = await index.load(connector, undefined);
    expect(yieldedPaths(first)).toContain('docs/draft.md');

    await setup.repository.resetBack(1);
    await setup.repository.write('docs/final.md', '# Final\n\nThe real thing.\n');
    const rewritten = await setup.repository.commit('Final instead of draft', { force: true });

    if (flavour === 'file:// URL') {
      // The worker's copy still holds the withdrawn commit: a tree diff is exact.
      const diffed = await index.load(connector, first.checkpoint);
      expect(yieldedPaths(diffed)).toEqual(['docs/final.md']);
      expect(diffed.checkpoint.commit).toBe(rewritten);
      // Another worker with an empty cache never saw the withdrawn commit.
      await rm(setup.cacheDirectory, { recursive: true, force: true });
    } else {
      await setup.repository.collectServerGarbage();
    }
    const relisted = await index.load(connector, first.checkpoint);
    expect(relisted.log.join('\n')).toMatch(/is gone \(history rewritten\)/);
    // Everything is listed again, but files whose blob is already indexed are not read.
    expect(yieldedPaths(relisted)).toEqual(flavour === 'file:// URL' ? [] : ['docs/final.md']);
    expect(relisted.log.join('\n')).toMatch(/already indexed at the same version/);
    expect(relisted.checkpoint.commit).toBe(rewritten);
    expect(await index.prune(connector)).toEqual(['git:handbook:docs/draft.md']);
  });

  it('refuses a branch that does not exist, in validate, load and listIds', async () => {
    const setup = await setUp(flavour);
    await writeHandbook(setup.repository);
    const connector = setup.connector({ branch: 'no-such-branch' });
    const failure = await connector.validate(new AbortController().signal).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(DocentError);
    expect(failure).toMatchObject({ code: 'source_unreachable', retryable: false });
    expect((failure as Error).message).toMatch(/branch "no-such-branch" does not exist/);
    await expect(new IndexedVersions().load(connector, undefined)).rejects.toMatchObject({ code: 'source_unreachable' });
    await expect(listedIds(connector)).rejects.toMatchObject({ code: 'source_unreachable' });
  });

  it('indexes a configured branch other than the default one', async () => {
    const setup = await setUp(flavour);
    await writeHandbook(setup.repository);
    await setup.repository.git('checkout', '--quiet', '-b', 'release/2024');
    await setup.repository.write('docs/release notes.md', '# Release notes\n');
    await setup.repository.commit('Release notes');
    await setup.repository.git('checkout', '--quiet', 'main');
    const connector = setup.connector({ branch: 'release/2024', webUrl: 'https://git.corp/{repo}/blob/{branch}/{path}' });
    await connector.validate(new AbortController().signal);
    const outcome = await new IndexedVersions().load(connector, undefined);
    expect(yieldedPaths(outcome)).toContain('docs/release notes.md');
    const notes = outcome.documents.find((document) => document.name === 'release notes.md')!;
    expect(notes.uri).toBe('https://git.corp/server/blob/release/2024/docs/release%20notes.md');
    expect(yieldedPaths(await new IndexedVersions().load(setup.connector(), undefined))).not.toContain('docs/release notes.md');
  });

  it('yields a binary file named .md as it is, for the parser to refuse; reports a file over the size limit without reading it, and a Git LFS pointer', async () => {
    const setup = await setUp(flavour);
    const binary = Buffer.from(Array.from({ length: 600 }, (_, index) => (index * 37) % 256));
    await setup.repository.write('docs/diagram.md', binary);
    await setup.repository.write('docs/huge.md', `# Huge\n\n${'lorem ipsum '.repeat(20_000)}`);
    await setup.repository.write('docs/small.md', '# Small\n');
    await setup.repository.write('docs/spec.pdf', 'version https://git-lfs.github.com/spec/v1\noid sha256:4d7a214614ab2935c943f9e0ff69d22eadbb8f32b1258daaa5e2ca24d17e2393\nsize 12345\n');
    await setup.repository.commit('Binary, huge and LFS');
    const connector = setup.connector({}, { maxDocumentBytes: 100_000 });

    const index = new IndexedVersions();
    const outcome = await index.load(connector, undefined);

    expect(yieldedPaths(outcome)).toEqual(['docs/diagram.md', 'docs/small.md']);
    const diagram = outcome.documents.find((document) => document.name === 'diagram.md')!;
    expect(Buffer.from(diagram.content).equals(binary)).toBe(true);
    await expect(parseDocument({ name: diagram.name, content: diagram.content })).rejects.toMatchObject({ code: 'binary_content' });
    expect(outcome.failures.map((failure) => [failure.documentId, failure.error.code, failure.error.retryable])).toEqual([
      ['git:handbook:docs/huge.md', 'file_too_large', false],
      ['git:handbook:docs/spec.pdf', 'format_unsupported', false],
    ]);
    expect(outcome.failures[0]!.error.message).toMatch(/docs\/huge\.md is 234 KB, over the 98 KB limit/);
    expect(outcome.failures[1]!.error.message).toMatch(/stored in Git LFS/);
    expect(outcome.checkpoint.retry).toEqual([]);
    // Still a file of the repository: listed, so a smaller earlier version is not silently dropped.
    expect(await listedIds(connector)).toContain('git:handbook:docs/huge.md');
  });

  it('re-lists everything with new versions when the readers change, so permissions are updated in place', async () => {
    const setup = await setUp(flavour);
    await writeHandbook(setup.repository);
    const index = new IndexedVersions();
    const first = await index.load(setup.connector(), undefined);
    const restricted = setup.connector({ access: ['group:HR', 'user:ann'] });
    const second = await index.load(restricted, first.checkpoint);
    expect(yieldedPaths(second)).toEqual([...handbookPaths].sort());
    expect(second.documents[0]!.access).toEqual(['group:hr', 'user:ann']);
    expect(second.documents[0]!.version).not.toBe(first.documents.find((document) => document.id === second.documents[0]!.id)!.version);
    expect((await index.load(restricted, second.checkpoint)).documents).toEqual([]);
  });

  it('gives parts of the repository their own readers, and re-yields only the documents whose readers changed', async () => {
    const setup = await setUp(flavour);
    await writeHandbook(setup.repository);
    const index = new IndexedVersions();
    const first = await index.load(setup.connector(), undefined);
    const rules = { access: ['group:staff'], accessByPath: [{ paths: ['docs/안내/**'], access: ['group:korea'] }] };
    const staffOnly = setup.connector(rules);
    const second = await index.load(staffOnly, first.checkpoint);
    expect(second.documents.find((document) => document.name === '휴가 정책.md')!.access).toEqual(['group:korea']);
    expect(second.documents.find((document) => document.name === 'README.md')!.access).toEqual(['group:staff']);

    const widened = setup.connector({ ...rules, accessByPath: [{ paths: ['docs/안내/**'], access: ['group:korea', 'group:hr'] }] });
    const third = await index.load(widened, second.checkpoint);
    expect(yieldedPaths(third)).toEqual(['docs/안내/휴가 정책.md']);
    expect(third.documents[0]!.access).toEqual(['group:korea', 'group:hr']);
  });

  it('honours include and exclude globs case-insensitively', async () => {
    const setup = await setUp(flavour);
    await writeHandbook(setup.repository);
    await setup.repository.write('CHANGELOG.MD', '# Changes\n');
    await setup.repository.commit('Changelog');
    const connector = setup.connector({ include: ['**/*.md', 'src/**'], exclude: ['docs/안내/**'] });
    const outcome = await new IndexedVersions().load(connector, undefined);
    expect(yieldedPaths(outcome)).toEqual(['CHANGELOG.MD', 'README.md', 'docs/leave policy.md', 'node_modules/left-pad/README.md', 'src/main.ts']);
  });

  it('ends promptly when the run is aborted, handing back the checkpoint it started from', async () => {
    const setup = await setUp(flavour);
    await writeHandbook(setup.repository);
    const connector = setup.connector();
    const index = new IndexedVersions();
    const first = await index.load(connector, undefined);
    await setup.repository.write('docs/one.md', '# One\n');
    await setup.repository.write('docs/two.md', '# Two\n');
    await setup.repository.commit('Two more');

    const controller = new AbortController();
    const generator = connector.load(first.checkpoint, index.context(controller.signal));
    expect((await generator.next()).done).toBe(false);
    controller.abort(new DocentError('internal', 'shutting down'));
    expect(await generator.next()).toEqual({ done: true, value: first.checkpoint });

    const fromScratch = connector.load(undefined, index.context(controller.signal));
    const ended = await fromScratch.next();
    expect(ended.done).toBe(true);
    expect(ended.value).toMatchObject({ commit: '', settings: '' });
    await expect(index.prune(connector, controller.signal)).rejects.toMatchObject({ code: 'source_unreachable', message: expect.stringMatching(/interrupted; nothing may be deleted/) });
  });
});

describe('Git connector failures', () => {
  it('reports an object missing from a damaged repository as one failure and retries it next run', async () => {
    const setup = await setUp('local path');
    await writeHandbook(setup.repository);
    await setup.repository.write('docs/lost.md', '# Lost\n\nThis object will go missing.\n');
    await setup.repository.commit('Lost');
    const blobId = (await setup.repository.git('rev-parse', 'HEAD:docs/lost.md')).trim();
    const objectFile = path.join(setup.repository.server, 'objects', blobId.slice(0, 2), blobId.slice(2));
    expect((await stat(objectFile)).isFile()).toBe(true);
    const saved = path.join(setup.home, 'saved-object');
    await copyFile(objectFile, saved);
    await rm(objectFile, { force: true });

    const connector = setup.connector();
    const index = new IndexedVersions();
    const first = await index.load(connector, undefined);
    expect(yieldedPaths(first)).toEqual([...handbookPaths].sort());
    expect(first.failures).toHaveLength(1);
    expect(first.failures[0]).toMatchObject({ documentId: 'git:handbook:docs/lost.md', error: { code: 'file_unreadable', retryable: true } });
    expect(first.checkpoint.retry).toEqual(['docs/lost.md']);

    await copyFile(saved, objectFile);
    const second = await index.load(connector, first.checkpoint);
    expect(yieldedPaths(second)).toEqual(['docs/lost.md']);
    expect(second.failures).toEqual([]);
    expect(second.checkpoint.retry).toEqual([]);
  });

  it('throws source_unreachable for a repository that is not there, and lists nothing', async () => {
    const setup = await setUp('file:// URL');
    for (const repository of [`${setup.repository.serverUrl}-missing`, path.join(setup.home, 'missing.git')]) {
      const connector = setup.connector({}, { repository });
      await expect(connector.validate(new AbortController().signal)).rejects.toMatchObject({ code: 'source_unreachable' });
      await expect(new IndexedVersions().load(connector, undefined)).rejects.toMatchObject({ code: 'source_unreachable' });
      await expect(listedIds(connector)).rejects.toMatchObject({ code: 'source_unreachable' });
    }
  });

  it('keeps the index when the remote becomes unreachable: listIds throws instead of listing nothing', async () => {
    const setup = await setUp('file:// URL');
    await writeHandbook(setup.repository);
    const connector = setup.connector();
    const index = new IndexedVersions();
    const first = await index.load(connector, undefined);
    await rm(setup.repository.server, { recursive: true, force: true });
    await expect(index.load(connector, first.checkpoint)).rejects.toMatchObject({ code: 'source_unreachable' });
    await expect(index.prune(connector)).rejects.toMatchObject({ code: 'source_unreachable' });
    expect(index.versions.size).toBe(handbookPaths.length);
  });

  it('refuses a repository without a default branch', async () => {
    const setup = await setUp('file:// URL');
    const connector = setup.connector();
    await expect(connector.validate(new AbortController().signal)).rejects.toMatchObject({ code: 'source_unreachable', retryable: false });
  });
});

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './load.js';

const created: string[] = [];
afterAll(() => {
  for (const directory of created) rmSync(directory, { recursive: true, force: true });
});

/** A settings file in a folder of its own (made synchronously: loadConfig is synchronous), removed after the file's tests. */
function yamlFile(content: string): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'docent-config-'));
  created.push(directory);
  const file = path.join(directory, 'docent.yaml');
  writeFileSync(file, content);
  return file;
}

describe('loadConfig', () => {
  it('gives the embedded defaults when nothing is set', () => {
    const config = loadConfig({ file: yamlFile(''), environment: {} });
    expect(config.dataDir).toBe('./.docent');
    expect(config.server.port).toBe(3000);
    expect(config.embedding.provider).toBe('use-lite');
    expect(config.chunking.maxTokens).toBeGreaterThan(config.chunking.overlapTokens);
  });

  it('reads the YAML file and lets DOCENT_* variables win', () => {
    const file = yamlFile('dataDir: /srv/docent\nretrieval:\n  topK: 5\n');
    const config = loadConfig({ file, environment: { DOCENT_RETRIEVAL_TOP_K: '12', PORT: '8080' } });
    expect(config.dataDir).toBe('/srv/docent');
    expect(config.retrieval.topK).toBe(12);
    expect(config.server.port).toBe(8080);
  });

  it('names the variable and the expected form when an environment value is wrong', () => {
    expect(() => loadConfig({ file: yamlFile(''), environment: { DOCENT_EMBEDDING_THREADS: 'two' } })).toThrow(
      /DOCENT_EMBEDDING_THREADS: expected number.*got "two"/,
    );
  });

  it('names the file key when a YAML value is wrong', () => {
    const file = yamlFile('embedding:\n  provider: openai\n');
    expect(() => loadConfig({ file, environment: {} })).toThrow(/docent\.yaml: embedding\.provider: Invalid option: expected one of "use-lite"\|"transformers"/);
  });

  it('rejects unknown keys and variables, suggesting the closest setting', () => {
    expect(() => loadConfig({ file: yamlFile('chunking:\n  maxTokenz: 10\n'), environment: {} })).toThrow(/chunking\.maxTokenz: not a Docent setting/);
    expect(() => loadConfig({ file: yamlFile(''), environment: { DOCENT_DATADIR: '/x' } })).toThrow(/did you mean DOCENT_DATA_DIR/);
  });

  it('checks relations between settings', () => {
    expect(() => loadConfig({ file: yamlFile(''), environment: { DOCENT_CHUNKING_MAX_TOKENS: '10', DOCENT_CHUNKING_OVERLAP_TOKENS: '20' } })).toThrow(
      /overlapTokens must be smaller than maxTokens/,
    );
  });

  it('fails clearly when an explicitly named file is missing or not YAML', () => {
    expect(() => loadConfig({ file: '/nonexistent/docent.yaml', environment: {} })).toThrow(/does not exist/);
    expect(() => loadConfig({ file: yamlFile('a: [1, 2'), environment: {} })).toThrow(/not valid YAML/);
  });

  it('reads admin roles from the file or as comma-separated principals from the environment', () => {
    const file = yamlFile('admin:\n  roles:\n    auditor: [group:compliance]\n');
    const config = loadConfig({ file, environment: { DOCENT_ADMIN_ROLES_ADMIN: 'group:it-admins, user:ann' } });
    expect(config.admin.roles).toEqual({ admin: ['group:it-admins', 'user:ann'], auditor: ['group:compliance'], viewer: [] });
    expect(() => loadConfig({ file: yamlFile('admin:\n  roles:\n    viewer: [it-admins]\n'), environment: {} })).toThrow(/admin\.roles\.viewer\.0: a principal such as group:it-admins or user:ann/);
  });

  it('reads the Redis URL from REDIS_URL or DOCENT_JOBS_REDIS_URL, and never repeats it in an error', () => {
    expect(loadConfig({ file: yamlFile(''), environment: {} }).jobs.redisUrl).toBeUndefined();
    expect(loadConfig({ file: yamlFile(''), environment: { REDIS_URL: 'redis://127.0.0.1:6379' } }).jobs.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(loadConfig({ file: yamlFile(''), environment: { REDIS_URL: 'redis://a:6379', DOCENT_JOBS_REDIS_URL: 'redis://b:6379' } }).jobs.redisUrl).toBe('redis://b:6379');
    let message = '';
    try {
      loadConfig({ file: yamlFile(''), environment: { REDIS_URL: 'http://user:hunter2@redis:6379' } });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/REDIS_URL/);
    expect(message).not.toMatch(/hunter2/);
  });
});

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];

// Registered when a test file first imports this module (each file has its own copy):
// vitest ignores an afterAll registered later, inside a test or a beforeAll, so the
// directories made there would otherwise stay behind.
afterAll(async () => {
  await Promise.all(created.splice(0).map((directory) => rm(directory, { recursive: true, force: true })));
});

/** A fresh directory under the system temp folder, removed when the test file finishes. */
export async function temporaryDirectory(prefix = 'docent-test-'): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  created.push(directory);
  return directory;
}

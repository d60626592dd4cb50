import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

const created = new Set<string>();

// Registered when a test file first imports this module (each file has its own copy):
// vitest ignores an afterAll registered later, inside a test or a beforeAll, so the
// directories made there would otherwise stay behind.
afterAll(async () => {
  await Promise.all([...created].map((directory) => rm(directory, { recursive: true, force: true })));
  created.clear();
});

/**
 * A fresh directory under the system temp folder, removed when the test that made it
 * finishes, or, when made outside a test (a `beforeAll`, the top of a file), when the
 * test file finishes.
 */
export async function temporaryDirectory(prefix = 'docent-test-'): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  created.add(directory);
  try {
    onTestFinished(async () => {
      created.delete(directory);
      await rm(directory, { recursive: true, force: true });
    });
  } catch {
    // Not inside a test: onTestFinished refuses, and the file's end (above) is the right time.
  }
  return directory;
}

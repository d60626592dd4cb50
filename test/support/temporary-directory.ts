import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, onTestFinished } from 'vitest';

/**
 * A fresh directory under the system temp folder, removed when the test that made it
 * finishes, or, when made outside a test (in a `beforeAll`, at the top of a file), when
 * the test file finishes. Vitest ignores an `afterAll` registered from inside a running
 * test, which is why a test's own directories are tied to that test.
 */
export async function temporaryDirectory(prefix = 'docent-test-'): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  const remove = () => rm(directory, { recursive: true, force: true });
  try {
    onTestFinished(remove);
  } catch {
    // Not inside a test: onTestFinished refuses, and the file's end is the right time.
    afterAll(remove);
  }
  return directory;
}

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

/** A fresh directory under the system temp folder, removed when the test file finishes. */
export async function temporaryDirectory(prefix = 'docent-test-'): Promise<string> {
  const directory = await mkdtemp(path.join(tmpdir(), prefix));
  afterAll(() => rm(directory, { recursive: true, force: true }));
  return directory;
}

import picomatch from 'picomatch';
import type { Principal } from '../../src/core/access.js';
import { readersDigest } from './git-checkpoint.js';
import type { GitConnectorConfig } from './git-connector-config.js';

/** Who may read one file, and the part of its version that stands for them. */
export interface DocumentReaders {
  access: Principal[];
  /** Changes exactly when `access` (or the link template) changes. */
  digest: string;
}

/** Decides a file's readers from its path: the first `accessByPath` rule that matches, else `access`. */
export type ReadersOf = (path: string) => DocumentReaders;

export function createReadersOf(config: Pick<GitConnectorConfig, 'access' | 'accessByPath' | 'webUrl'>): ReadersOf {
  const readers = (access: Principal[]): DocumentReaders => ({ access, digest: readersDigest(access, config.webUrl) });
  const fallback = readers(config.access);
  const rules = config.accessByPath.map((rule) => ({ matches: picomatch(rule.paths, { nocase: true, dot: true }), readers: readers(rule.access) }));
  return (path) => rules.find((rule) => rule.matches(path))?.readers ?? fallback;
}

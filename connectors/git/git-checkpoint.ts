import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { GitConnectorConfig } from './git-connector-config.js';

/** Where the last complete run of a Git connector left off. */
export type GitCheckpoint = {
  /** The commit whose files are all indexed; the next run indexes only what changed after it. */
  commit: string;
  /**
   * Digest of the settings that decide which files are indexed and how (repository,
   * branch, globs, size limit, readers, link template): when they change, the next run
   * lists the whole tree instead of a diff, since unchanged files may now be in or out.
   */
  settings: string;
  /** Paths that failed for a reason that may pass (an unreadable object): read again next run, changed or not. */
  retry: string[];
};

/** Enough to be retried without bloating a checkpoint meant to stay small. */
export const maximumRetriedPaths = 1_000;

const checkpointSchema = z.object({
  commit: z.string().regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/),
  settings: z.string(),
  retry: z.array(z.string()).default([]),
});

/** A stored checkpoint, or undefined when there is none or it is not one of ours (then everything is listed). */
export function readCheckpoint(value: unknown): GitCheckpoint | undefined {
  const parsed = checkpointSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/** The digest stored in {@link GitCheckpoint.settings}. */
export function settingsDigest(config: GitConnectorConfig, maxDocumentBytes: number): string {
  return digest({
    repository: config.repository,
    branch: config.branch ?? null,
    include: config.include,
    exclude: config.exclude,
    maxDocumentBytes,
    access: config.access,
    accessByPath: config.accessByPath,
    webUrl: config.webUrl ?? null,
  });
}

/**
 * What a document's version adds to its blob id: who may read it and how it is linked.
 * Both come from the configuration, not the blob, so they must be part of the version
 * for a change of readers to reach documents whose bytes did not change (and only those).
 */
export function readersDigest(access: readonly string[], webUrl: string | undefined): string {
  return digest({ access: [...access].sort(), webUrl: webUrl ?? null }).slice(0, 12);
}

function digest(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);
}

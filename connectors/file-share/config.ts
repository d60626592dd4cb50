import path from 'node:path';
import { z } from 'zod';
import { allowEmptySetting } from '../config-fields.js';

/** How a file's readers are decided. */
export type PermissionMode = 'posix' | 'everyone';

export const fileShareConfigSchema = z
  .object({
    /** The folder: local, or a mounted SMB/NFS share (a mount is just a path). Absolute. */
    path: z.string().min(1).refine((value) => path.isAbsolute(value), { message: 'must be an absolute path' }),
    /** Globs (relative to `path`, `/`-separated) a file must match to be indexed; every file when unset. */
    include: z.array(z.string().min(1)).min(1).optional(),
    /** Globs of files and folders never indexed, e.g. `archive/**` or `**\/*.tmp`. */
    exclude: z.array(z.string().min(1)).default([]),
    /** Files larger than this are reported as too large without being read; Docent's `ingest.maxFileBytes` when unset. */
    maxFileBytes: z.number().int().positive().optional(),
    /**
     * `posix`: the file's owner (`user:<name>`) and group (`group:<name>`) when their read bit
     * is set, plus `everyone` when it is world-readable. `everyone`: every file is open to all.
     */
    permissions: z.enum(['posix', 'everyone']).default('posix'),
    /** Files mapping user and group ids to names (e.g. copies of the file server's); `getent` is asked for ids they lack. */
    passwdFile: z.string().default('/etc/passwd'),
    groupFile: z.string().default('/etc/group'),
    followSymlinks: z.boolean().default(false),
    /**
     * Fail every run with `source_unreachable` unless `path` is a mount point. Set it for an
     * SMB/NFS share: when the share is not mounted, `path` is an empty local folder.
     */
    requireMountPoint: z.boolean().default(false),
    /**
     * The share may be empty. Without it, a share that has no files while documents from it are
     * indexed fails the run (nothing is deleted); set it once to let a share that was really
     * emptied remove its documents from the index.
     */
    allowEmpty: allowEmptySetting(),
    /**
     * Watch mode: the process that runs connector jobs (`docent worker`, or `docent serve`
     * without Redis) watches the folder and syncs it within seconds of a change. One process
     * watches a connector at a time; a schedule is still useful as a safety net (a mount
     * whose server does not report changes, e.g. some SMB/NFS setups).
     */
    watch: z.boolean().default(false),
    /** Quiet period after a change before a watch reports it, so a burst of writes is one sync. */
    watchDebounceMs: z.number().int().min(0).max(60_000).default(500),
  })
  .strict();

export type FileShareConfig = z.infer<typeof fileShareConfigSchema>;

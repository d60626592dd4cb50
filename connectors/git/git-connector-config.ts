import { z } from 'zod';
import { allowEmptySetting, environmentVariableName } from '../config-fields.js';
import { parseRepositoryAddress } from './repository-address.js';

/**
 * Files indexed when the admin names none: prose formats anywhere in the tree, and the
 * documents the pipeline can parse (PDF, Office, HTML) under `docs/`. Source code is left
 * out on purpose: it drowns the prose in retrieval and is better searched by code tools.
 */
export const defaultIncludePatterns: readonly string[] = [
  '**/*.md',
  '**/*.markdown',
  '**/*.txt',
  '**/*.rst',
  '**/*.adoc',
  'docs/**/*.{pdf,docx,pptx,xlsx,html,htm,csv}',
];

/** Vendored dependencies carry thousands of READMEs that are nobody's documentation. */
export const defaultExcludePatterns: readonly string[] = ['**/node_modules/**'];

const principal = z
  .string()
  .trim()
  .regex(/^(everyone|(user|group):\S.*)$/i, 'a principal: everyone, user:<id> or group:<name>')
  .transform((value) => (value.toLowerCase() === 'everyone' ? 'everyone' : value.toLowerCase()));

/**
 * Branch names as `git check-ref-format --branch` accepts them, minus the shorthands
 * (`@{-1}`) that only make sense in an interactive shell. A leading dash is refused so a
 * name can never be read as an option.
 */
const branchName = z
  .string()
  .min(1)
  .refine(
    (name) =>
      !name.startsWith('-') &&
      !name.startsWith('/') &&
      !name.endsWith('/') &&
      !name.endsWith('.') &&
      !name.endsWith('.lock') &&
      !name.includes('..') &&
      !name.includes('//') &&
      !name.includes('@{') &&
      !/[\s~^:?*[\\\x00-\x1f\x7f]/.test(name) &&
      name !== '@',
    'a Git branch name (no spaces, no ~ ^ : ? * [ \\, no "..", not starting with "-")',
  );

const webUrlTemplate = z
  .string()
  .regex(/^https?:\/\//, 'an http(s) URL template')
  .refine((template) => template.includes('{path}'), 'the template must contain {path} (and usually {commit} or {branch})');

export const gitConnectorConfigSchema = z
  .object({
    /**
     * An absolute path to a repository on this machine (a working copy or a bare
     * repository), or a URL: `https://`, `http://`, `ssh://`, `git://`, `file://` or
     * `user@host:path`. URLs are mirrored into the connector's cache folder.
     */
    repository: z.string().min(1).superRefine((value, context) => {
      const parsed = parseRepositoryAddress(value);
      if (typeof parsed === 'string') context.addIssue({ code: 'custom', message: parsed });
    }),
    /** The branch to index; the remote's default branch (its HEAD) when not set. */
    branch: branchName.optional(),
    /** Glob patterns (relative to the repository root, case-insensitive) of the files to index. */
    include: z.array(z.string().min(1)).min(1).default([...defaultIncludePatterns]),
    /** Glob patterns of files never indexed, even when an include pattern matches. */
    exclude: z.array(z.string().min(1)).default([...defaultExcludePatterns]),
    /** Who may read the repository's documents: Git itself has no per-file permissions. */
    access: z.array(principal).min(1).default(['everyone']),
    /**
     * Narrower (or wider) readers for parts of the repository, e.g. `hr/**` for `group:hr`.
     * The first rule whose globs match a path decides; a path no rule matches gets `access`.
     */
    accessByPath: z
      .array(
        z
          .object({
            /** Glob patterns from the repository root, case-insensitive. */
            paths: z.array(z.string().min(1)).min(1),
            /** The readers of the files those patterns match. */
            access: z.array(principal).min(1),
          })
          .strict(),
      )
      .default([]),
    /**
     * A browsable link for citations, e.g. `https://git.corp/{repo}/blob/{commit}/{path}`.
     * Placeholders: `{repo}` (the repository's path on its server, without `.git`),
     * `{branch}`, `{commit}`, `{path}`. Without it, a document's link is `<repository>#<path>`.
     */
    webUrl: webUrlTemplate.optional(),
    /** An access token for http(s) URLs, read from the environment at each run. */
    credentials: z
      .object({
        /** The environment variable holding the token; the configuration never holds the token itself. */
        tokenVariable: environmentVariableName(),
        /**
         * `basic` sends `username:token` (GitHub, GitLab, Gitea, Bitbucket accept a token as
         * the password); `bearer` sends the token alone (Bitbucket Data Center HTTP access tokens).
         */
        scheme: z.enum(['basic', 'bearer']).default('basic'),
        /** The user name that goes with the token in `basic`; servers that ignore it still need one. */
        username: z.string().min(1).default('x-access-token'),
      })
      .strict()
      .optional(),
    /** Longest a fetch, listing or history walk may take before the run fails as unreachable. */
    timeoutSeconds: z.number().int().positive().max(86_400).default(600),
    /** The branch may hold no indexed files at all: see `allowEmptySetting`. */
    allowEmpty: allowEmptySetting(),
  })
  .strict()
  .superRefine((config, context) => {
    const address = parseRepositoryAddress(config.repository);
    if (typeof address === 'string' || config.credentials === undefined) return;
    if (address.transport !== 'http') {
      context.addIssue({
        code: 'custom',
        path: ['credentials'],
        message: 'a token is only used with http(s) URLs; ssh uses the worker\'s ssh keys or agent, local paths need none',
      });
    }
  });

export type GitConnectorConfig = z.infer<typeof gitConnectorConfigSchema>;

import { z } from 'zod';
import { allowEmptySetting, environmentVariableName } from '../config-fields.js';

// Space keys are letters and digits; personal spaces are `~username`.
const spaceKey = z.string().regex(/^(~[\w.@-]+|[A-Za-z0-9]+)$/, 'a space key such as ENG, or ~username for a personal space');

/**
 * File types indexed by default: those Docent's parsers read. Images, media and archives
 * are left out; an admin can widen or narrow the list.
 */
export const defaultAttachmentExtensions = ['pdf', 'docx', 'pptx', 'xlsx', 'txt', 'md', 'csv', 'html', 'htm', 'eml'];

export const confluenceAttachmentsSchema = z
  .object({
    /** Index page attachments as their own documents. */
    enabled: z.boolean().default(true),
    /** Attachments larger than this are reported as too large and not downloaded (the installation's own limit applies too). */
    maxBytes: z.number().int().positive().default(25 * 1024 * 1024),
    /** File name extensions (without the dot, any case) of attachments worth indexing. */
    extensions: z
      .array(z.string().regex(/^[A-Za-z0-9]+$/, 'an extension without the dot, e.g. pdf'))
      .min(1)
      .default(defaultAttachmentExtensions),
  })
  .strict();

/**
 * Settings of one Confluence Server / Data Center connector. The personal access token is
 * never part of the configuration: `tokenEnv` names the environment variable holding it.
 */
export const confluenceConfigSchema = z
  .object({
    /** The address people open Confluence at, context path included (`https://wiki.example.com/confluence`). */
    baseUrl: z
      .string()
      .url()
      .refine((value) => /^https?:\/\//i.test(value), 'an http:// or https:// address')
      .transform((value) => value.replace(/\/+$/, '')),
    /** Environment variable holding the personal access token (sent as `Authorization: Bearer`). */
    tokenEnv: environmentVariableName().default('CONFLUENCE_TOKEN'),
    /** Keys of the spaces to index; unset: every space the token's user can see. */
    spaces: z.array(spaceKey).min(1).optional(),
    /** With `spaces` unset, whether personal spaces are indexed too. */
    includePersonalSpaces: z.boolean().default(false),
    /**
     * `storage`: the page source, converted here (cheap for the server, the same bytes for
     * the same version). `export_view`: HTML rendered by Confluence, macros expanded
     * (dynamic macros such as page trees then show up as text, at a rendering cost per page).
     */
    bodyFormat: z.enum(['storage', 'export_view']).default('storage'),
    attachments: confluenceAttachmentsSchema.default({ enabled: true, maxBytes: 25 * 1024 * 1024, extensions: defaultAttachmentExtensions }),
    /** Items asked for per listing request (`limit`); the server may cap it lower, and its answer is followed. */
    pageSize: z.number().int().min(1).max(500).default(50),
    /** Pages whose body and attachments are fetched at the same time. */
    concurrency: z.number().int().min(1).max(32).default(4),
    /** One HTTP request's limit; a request that takes longer is retried like a network error. */
    requestTimeoutSeconds: z.number().positive().max(600).default(30),
    /** Tries per request for 429, 5xx and network errors before the run fails as unreachable. */
    maxAttempts: z.number().int().min(1).max(10).default(5),
    /**
     * Restriction and space permission changes do not change a page's version or its
     * last-modified time, so only a full scan sees them. 0 (default): every run is a full
     * scan, which lists every page's restrictions (one request per `pageSize` pages) and
     * fetches only changed bodies. Above 0: runs within this many minutes of the last full
     * scan ask CQL for recently modified content only, and permission changes wait for the
     * next full scan.
     */
    fullScanIntervalMinutes: z.number().int().min(0).default(0),
    /** How far before the last run's start an incremental CQL query looks, for clock skew and search-index lag. */
    incrementalMarginMinutes: z.number().int().min(0).default(15),
    /**
     * Time zone CQL dates are read in on the server (the token user's profile zone, else the
     * server's default), e.g. `Europe/Berlin`. Unset: the query looks back 12 more hours,
     * which is safe in every zone and only lists a few more unchanged pages.
     */
    timeZone: z
      .string()
      .refine((zone) => isTimeZone(zone), 'an IANA time zone such as Europe/Berlin')
      .optional(),
    /**
     * A space open to anonymous users: `ignore` (default) leaves anonymous access out, so
     * pages are readable by the users and groups granted view explicitly; `everyone` makes
     * them readable by every Docent user.
     */
    anonymousAccess: z.enum(['ignore', 'everyone']).default('ignore'),
    /** The spaces may hold no pages at all: see `allowEmptySetting`. */
    allowEmpty: allowEmptySetting(),
  })
  .strict();

export type ConfluenceConfig = z.output<typeof confluenceConfigSchema>;
export type ConfluenceConfigInput = z.input<typeof confluenceConfigSchema>;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

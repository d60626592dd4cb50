import { z } from 'zod';
import { allowEmptySetting, environmentVariableName } from '../config-fields.js';

const httpUrl = z
  .string()
  .trim()
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  }, 'must be an absolute http:// or https:// URL');

/**
 * How requests authenticate to the site. Only the names of environment variables appear
 * here; the secrets themselves are read from the environment when the connector is made.
 */
export const webSiteAuthSchema = z.discriminatedUnion('scheme', [
  z.object({
    /** `Authorization: Bearer <token>`. */
    scheme: z.literal('bearer'),
    /** Variable holding the token. */
    tokenVariable: environmentVariableName(),
  }).strict(),
  z.object({
    /** `Authorization: Basic ...`. */
    scheme: z.literal('basic'),
    /** Variable holding `user:password`. */
    credentialsVariable: environmentVariableName(),
  }).strict(),
  z.object({
    /** Any header a site's gateway wants (`X-Api-Key`, a session cookie). */
    scheme: z.literal('header'),
    /** The header's name. */
    header: z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name'),
    /** Variable holding the header's value. */
    valueVariable: environmentVariableName(),
  }).strict(),
]);

export const webSiteConfigSchema = z
  .object({
    /** Pages the crawl starts from (depth 0). */
    startUrls: z.array(httpUrl).default([]),
    /** Sitemaps or sitemap indexes (plain or gzip); every page they list is crawled at depth 0. */
    sitemaps: z.array(httpUrl).default([]),
    /** Also read the sitemaps that robots.txt names. */
    sitemapsFromRobots: z.boolean().default(true),
    /**
     * Do not even ask about an indexed page whose sitemap `<lastmod>` is older than the
     * previous run (by more than an hour, for clock skew). Saves one request per unchanged
     * page, which at a polite pace is most of a re-sync; only for sitemaps kept accurate.
     */
    trustSitemapLastmod: z.boolean().default(false),
    /**
     * Only pages whose path starts with this are crawled (`/handbook/`); the whole origin
     * when unset. Sitemaps themselves may sit outside it.
     */
    pathPrefix: z.string().startsWith('/', 'must start with /').optional(),
    /** Links followed from a start page: 0 reads only the start pages and sitemap entries. */
    maxDepth: z.number().int().min(0).max(100).default(10),
    /** Most page requests in one run (each page once, whatever the answer); what lies beyond is not indexed. */
    maxPages: z.number().int().min(1).default(10_000),
    /** Sent as User-Agent and matched against robots.txt groups. */
    userAgent: z.string().trim().min(1).default('DocentBot/0.1'),
    /** Least time between the starts of two requests to the site; a larger robots.txt Crawl-delay wins. */
    delayMilliseconds: z.number().int().min(0).default(1000),
    /** Requests in flight at once (their starts still spaced by the delay). */
    concurrency: z.number().int().min(1).max(16).default(2),
    /** A request that has not finished (body included) after this long fails. */
    timeoutMilliseconds: z.number().int().min(1).default(30_000),
    /** Redirects followed per request; each must stay on the site. */
    maxRedirects: z.number().int().min(0).max(20).default(5),
    /**
     * Query parameters that only track visitors and never change a page, dropped from
     * URLs; a trailing `*` matches a prefix.
     */
    trackingParameters: z.array(z.string().min(1)).default(['utm_*', 'gclid', 'fbclid', 'msclkid', 'mc_cid', 'mc_eid', '_ga']),
    /** Sort query parameters so that `?b=1&a=2` and `?a=2&b=1` are one page. */
    sortQueryParameters: z.boolean().default(true),
    /** `keep`: `/a` and `/a/` are different pages; `strip`: `/a/` is `/a`; `add`: `/a` is `/a/` (the root is always `/`). */
    trailingSlash: z.enum(['keep', 'strip', 'add']).default('keep'),
    /** Who may read the site's pages: a web site has no per-page permissions Docent could read. */
    access: z.array(z.string().min(1)).min(1).default(['everyone']),
    /** Readers of sections meant for fewer people (`{pathPrefix: /hr/, access: [group:hr]}`); the longest matching prefix wins over `access`. */
    accessByPath: z
      .array(z.object({ pathPrefix: z.string().startsWith('/', 'must start with /'), access: z.array(z.string().min(1)).min(1) }).strict())
      .default([]),
    auth: webSiteAuthSchema.optional(),
    /** The site may yield no pages at all: see `allowEmptySetting`. */
    allowEmpty: allowEmptySetting(),
  })
  .strict()
  .superRefine((config, context) => {
    const seeds = [...config.startUrls, ...config.sitemaps];
    if (seeds.length === 0) {
      context.addIssue({ code: 'custom', message: 'give at least one start URL or sitemap', path: ['startUrls'] });
      return;
    }
    const origin = new URL(seeds[0]!).origin;
    seeds.forEach((seed, index) => {
      if (new URL(seed).origin !== origin) {
        const path = index < config.startUrls.length ? ['startUrls', index] : ['sitemaps', index - config.startUrls.length];
        context.addIssue({ code: 'custom', message: `must be on the same site as ${origin}: a web-site connector crawls one site`, path });
      }
    });
    if (config.pathPrefix !== undefined) {
      config.startUrls.forEach((startUrl, index) => {
        if (!new URL(startUrl).pathname.startsWith(config.pathPrefix!)) {
          context.addIssue({ code: 'custom', message: `lies outside pathPrefix ${config.pathPrefix}`, path: ['startUrls', index] });
        }
      });
    }
  });

export type WebSiteConfig = z.output<typeof webSiteConfigSchema>;
export type WebSiteAuth = z.output<typeof webSiteAuthSchema>;

import { describe, expect, it } from 'vitest';
import { webSiteConfigSchema } from './config.js';

describe('webSiteConfigSchema', () => {
  it('fills polite defaults', () => {
    const config = webSiteConfigSchema.parse({ startUrls: ['https://intranet.example.com/'] });
    expect(config).toMatchObject({ sitemaps: [], sitemapsFromRobots: true, maxDepth: 10, maxPages: 10_000, delayMilliseconds: 1000, concurrency: 2, trailingSlash: 'keep', access: ['everyone'] });
    expect(config.trackingParameters).toContain('utm_*');
  });

  it('needs a start URL or a sitemap, all on one site, start URLs inside the path prefix', () => {
    expect(webSiteConfigSchema.safeParse({}).success).toBe(false);
    expect(webSiteConfigSchema.safeParse({ sitemaps: ['https://a.example.com/sitemap.xml'] }).success).toBe(true);
    const twoSites = webSiteConfigSchema.safeParse({ startUrls: ['https://a.example.com/'], sitemaps: ['https://b.example.com/sitemap.xml'] });
    expect(twoSites.success).toBe(false);
    expect(twoSites.error?.issues[0]?.path).toEqual(['sitemaps', 0]);
    expect(webSiteConfigSchema.safeParse({ startUrls: ['https://a.example.com/blog/'], pathPrefix: '/docs/' }).success).toBe(false);
    expect(webSiteConfigSchema.safeParse({ startUrls: ['ftp://a.example.com/'] }).success).toBe(false);
  });

  it('names secrets by environment variable only', () => {
    expect(webSiteConfigSchema.safeParse({ startUrls: ['https://a.example.com/'], auth: { scheme: 'bearer', tokenVariable: 'INTRANET_TOKEN' } }).success).toBe(true);
    expect(webSiteConfigSchema.safeParse({ startUrls: ['https://a.example.com/'], auth: { scheme: 'bearer', token: 'secret' } }).success).toBe(false);
    expect(webSiteConfigSchema.safeParse({ startUrls: ['https://a.example.com/'], auth: { scheme: 'header', header: 'X-Api-Key', valueVariable: 'not a name' } }).success).toBe(false);
  });
});

import type { ConnectorDefinition } from '../../src/core/connector.js';
import { webSiteConfigSchema, type WebSiteConfig } from './config.js';
import { WebSiteConnector } from './web-site-connector.js';

export { webSiteConfigSchema, type WebSiteConfig } from './config.js';
export { WebSiteConnector, type WebSiteDependencies } from './web-site-connector.js';

export const webSiteConnector: ConnectorDefinition<WebSiteConfig> = {
  kind: 'web-site',
  description: 'a web site (intranet, documentation): sitemaps and same-site crawl within robots.txt, depth and page limits, polite pace, ETag/Last-Modified revalidation',
  configSchema: webSiteConfigSchema,
  create: (config, environment) => new WebSiteConnector(config, environment),
};

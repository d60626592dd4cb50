import type { ConnectorDefinition } from '../../src/core/connector.js';
import { webSiteConfigSchema, type WebSiteConfig } from './config.js';
import { WebSiteConnector } from './web-site-connector.js';

export { webSiteConfigSchema, type WebSiteConfig } from './config.js';
export { WebSiteConnector, type WebSiteDependencies } from './web-site-connector.js';

export const webSiteConnectorDefinition: ConnectorDefinition<WebSiteConfig> = {
  kind: 'web-site',
  description: 'A web site (intranet, documentation): sitemap and same-site crawl that honours robots.txt, revalidated by ETag/Last-Modified',
  configSchema: webSiteConfigSchema,
  create: (config, environment) => new WebSiteConnector(config, environment),
};

import type { ConnectorDefinition } from '../../src/core/connector.js';
import { confluenceConfigSchema, type ConfluenceConfig } from './config.js';
import { ConfluenceConnector, confluenceKind } from './confluence-connector.js';

export { confluenceConfigSchema, type ConfluenceConfig } from './config.js';
export { ConfluenceConnector, type ConfluenceCheckpoint } from './confluence-connector.js';

/** The Confluence Server / Data Center connector, as the registry knows it. */
export const confluenceConnector: ConnectorDefinition<ConfluenceConfig> = {
  kind: confluenceKind,
  description: 'Confluence Server / Data Center spaces: pages and attachments, readable by whoever may read them in Confluence (REST API, personal access token)',
  configSchema: confluenceConfigSchema,
  create: (config, environment) => new ConfluenceConnector(config, environment),
};

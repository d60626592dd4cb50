import type { ConnectorDefinition } from '../../src/core/connector.js';
import { GitConnector, gitConnectorKind } from './git-connector.js';
import { gitConnectorConfigSchema, type GitConnectorConfig } from './git-connector-config.js';

export { gitConnectorConfigSchema, type GitConnectorConfig } from './git-connector-config.js';
export { GitConnector } from './git-connector.js';

export const gitConnector: ConnectorDefinition<GitConnectorConfig> = {
  kind: gitConnectorKind,
  description: 'a branch of a Git repository (a local path, or an https, ssh or file URL): Markdown, text and docs, incremental by commit',
  configSchema: gitConnectorConfigSchema,
  create: (config, environment) => new GitConnector(config, environment),
};

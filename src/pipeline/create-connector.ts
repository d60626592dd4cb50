import { parseConnectorConfig } from '../../connectors/config-fields.js';
import type { Connector, ConnectorEnvironment } from '../core/connector.js';
import type { ConnectorRecord } from './connector-record.js';
import type { ConnectorRunDependencies } from './run-connector.js';

/** A connector instance for a stored record: its kind from the registry, its settings validated, its environment from the process. */
export function createConfiguredConnector(record: ConnectorRecord, dependencies: ConnectorRunDependencies): Connector {
  const definition = dependencies.registry.require(record.kind);
  const config = parseConnectorConfig(definition, record.config);
  const environment: ConnectorEnvironment = {
    name: record.name,
    sourceId: record.sourceId,
    env: dependencies.env,
    cacheDirectory: dependencies.store.cacheDirectoryOf(record.name),
    maxDocumentBytes: dependencies.maxDocumentBytes,
    maxDocumentBytesSetting: 'ingest.maxFileBytes, or DOCENT_INGEST_MAX_FILE_BYTES',
    excludedPaths: dependencies.excludedPaths ?? [],
  };
  return definition.create(config, environment);
}

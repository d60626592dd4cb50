import { parseConnectorConfig } from '../../connectors/config-fields.js';
import type { ConnectorRegistry } from '../../connectors/registry.js';
import type { Connector, ConnectorEnvironment } from '../core/connector.js';
import type { ConnectorRecord } from './connector-record.js';
import { connectorCacheDirectory } from './connector-store.js';

/** What making a connector from a stored record needs from the process. */
export interface ConnectorCreation {
  registry: ConnectorRegistry;
  /** The data directory: connectors keep caches under `connectors/<name>` there. */
  dataDirectory: string;
  /** Where secrets are read from: the process environment, normally. */
  env: Readonly<Record<string, string | undefined>>;
  /** `ingest.maxFileBytes`. */
  maxDocumentBytes: number;
  /** Paths no connector reads (the data directory). */
  excludedPaths: string[];
}

/**
 * A connector instance for a stored record: its kind from the registry, its settings
 * validated, its environment from the process. The one way every caller (a CLI run, a job
 * worker, a watch) makes connectors, so they all read the same settings the same way.
 */
export function createConfiguredConnector(record: ConnectorRecord, creation: ConnectorCreation): Connector {
  const definition = creation.registry.require(record.kind);
  const config = parseConnectorConfig(definition, record.config);
  const environment: ConnectorEnvironment = {
    name: record.name,
    sourceId: record.sourceId,
    env: creation.env,
    cacheDirectory: connectorCacheDirectory(creation.dataDirectory, record.name),
    maxDocumentBytes: creation.maxDocumentBytes,
    maxDocumentBytesSetting: 'ingest.maxFileBytes, or DOCENT_INGEST_MAX_FILE_BYTES',
    excludedPaths: creation.excludedPaths,
  };
  return definition.create(config, environment);
}

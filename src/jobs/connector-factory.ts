import path from 'node:path';
import { parseConnectorConfig } from '../../connectors/config-fields.js';
import type { ConnectorRegistry } from '../../connectors/registry.js';
import type { Connector, ConnectorEnvironment } from '../core/connector.js';
import type { ConnectorRecord } from '../pipeline/connector-record.js';

/** Makes the connector a stored record describes; the job layer needs nothing else from the registry. */
export type ConnectorFactory = (record: ConnectorRecord) => Promise<Connector>;

export interface RegistryFactoryOptions {
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

/** Creates connectors from the registry the way `runConnector` does, so a job and a CLI run read the same settings. */
export function registryConnectorFactory(options: RegistryFactoryOptions): ConnectorFactory {
  return async (record) => {
    const definition = options.registry.require(record.kind);
    const config = parseConnectorConfig(definition, record.config);
    const environment: ConnectorEnvironment = {
      name: record.name,
      sourceId: record.sourceId,
      env: options.env,
      cacheDirectory: path.join(options.dataDirectory, 'connectors', record.name),
      maxDocumentBytes: options.maxDocumentBytes,
      maxDocumentBytesSetting: 'ingest.maxFileBytes, or DOCENT_INGEST_MAX_FILE_BYTES',
      excludedPaths: options.excludedPaths,
    };
    return definition.create(config, environment);
  };
}

import type { Connector } from '../core/connector.js';
import type { ConnectorRecord } from '../pipeline/connector-record.js';
import { createConfiguredConnector, type ConnectorCreation } from '../pipeline/create-connector.js';

/** Makes the connector a stored record describes; the job layer needs nothing else from the registry. */
export type ConnectorFactory = (record: ConnectorRecord) => Promise<Connector>;

export type RegistryFactoryOptions = ConnectorCreation;

/** Creates connectors from the registry exactly as `runConnector` does, so a job and a CLI run read the same settings. */
export function registryConnectorFactory(options: RegistryFactoryOptions): ConnectorFactory {
  return async (record) => createConfiguredConnector(record, options);
}

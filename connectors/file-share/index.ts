import path from 'node:path';
import type { ConnectorDefinition } from '../../src/core/connector.js';
import { connectorSourceId } from '../../src/core/connector.js';
import { fileShareConfigSchema, type FileShareConfig } from './config.js';
import { FileShareConnector } from './file-share-connector.js';

export { fileShareConfigSchema, type FileShareConfig } from './config.js';
export { FileShareConnector } from './file-share-connector.js';

/** Source id of a folder indexed by `docent index <folder>`: stable for the same absolute path, as indexes made before connectors existed use it. */
export function folderSourceId(folder: string): string {
  return `folder:${path.resolve(folder)}`;
}

export const fileShareConnector: ConnectorDefinition<FileShareConfig> = {
  kind: 'file-share',
  description: 'a local folder or mounted SMB/NFS share: globs, size limit, POSIX owner and group as readers, watch mode',
  configSchema: fileShareConfigSchema,
  watches: (config) => config.watch,
  create(config, environment) {
    return new FileShareConnector(config, environment, environment.sourceId ?? connectorSourceId('file-share', environment.name));
  },
};

import path from 'node:path';
import type { Connector, ConnectorItem, SyncContext } from '../core/connector.js';
import { DocentError } from '../core/errors.js';
import { folderSourceId, readFolder } from '../pipeline/folder-source.js';
import type { ConnectorRecord } from '../pipeline/connector-record.js';

/** Makes the connector a stored record describes; the job layer needs nothing else from the registry. */
export type ConnectorFactory = (record: ConnectorRecord) => Promise<Connector>;

/**
 * Interim: a `file-share` connector over the folder walker `docent index` uses, until the
 * connector registry lands (connectors/registry.ts); the job layer then takes the
 * registry's factory instead. Reads every file to list it, so it is for local folders only.
 */
export function folderConnectorFactory(options: { maxFileBytes: number; followSymlinks: boolean; excluded: string[] }): ConnectorFactory {
  return async (record) => {
    if (record.kind !== 'file-share' || typeof record.config.path !== 'string') {
      throw new DocentError('config_invalid', `connector "${record.name}" is a ${record.kind}, which this Docent cannot run yet`, { retryable: false });
    }
    const root = path.resolve(record.config.path);
    const walkerPrefix = `${folderSourceId(root)}:`;
    const walk = async function* (): AsyncGenerator<ConnectorItem> {
      for await (const item of readFolder(root, options)) {
        if ('failure' in item) {
          yield { failure: { ...item.failure, documentId: rename(item.failure.documentId) } };
          continue;
        }
        const document = item.document;
        yield { document: { ...document, id: rename(document.id), sourceId: record.sourceId, version: `${document.modifiedAt ?? ''}:${document.content.byteLength}` } };
      }
    };
    const rename = (documentId: string): string => (documentId.startsWith(walkerPrefix) ? `${record.sourceId}:${documentId.slice(walkerPrefix.length)}` : documentId);
    const connector: Connector = {
      sourceId: record.sourceId,
      async validate() {
        for await (const item of readFolder(root, options)) {
          void item;
          break;
        }
      },
      async *load(_checkpoint, context: SyncContext) {
        for await (const item of walk()) {
          if (context.signal.aborted) return null;
          yield item;
        }
        return null;
      },
      async *listIds() {
        for await (const item of walk()) if ('document' in item) yield item.document.id;
      },
    };
    return connector;
  };
}

import type { ConnectorDefinition } from '../src/core/connector.js';
import { DocentError } from '../src/core/errors.js';
import { confluenceConnector } from './confluence/index.js';
import { fileShareConnector } from './file-share/index.js';
import { gitConnector } from './git/index.js';
import { webSiteConnector } from './web-site/index.js';

/** The kinds of connector a Docent process can run, by kind. */
export interface ConnectorRegistry {
  /** The definition of a kind, or a `config_invalid` error naming the kinds there are. */
  require(kind: string): ConnectorDefinition;
  get(kind: string): ConnectorDefinition | undefined;
  /** Every kind, sorted by name. */
  definitions(): ConnectorDefinition[];
}

/** Every connector that ships with Docent: add a new kind here (see connectors/README.md). */
export const builtInConnectors: readonly ConnectorDefinition[] = [
  fileShareConnector as ConnectorDefinition,
  gitConnector as ConnectorDefinition,
  webSiteConnector as ConnectorDefinition,
  confluenceConnector as ConnectorDefinition,
];

export function createConnectorRegistry(definitions: readonly ConnectorDefinition[] = builtInConnectors): ConnectorRegistry {
  const byKind = new Map<string, ConnectorDefinition>();
  for (const definition of definitions) {
    if (byKind.has(definition.kind)) throw new DocentError('internal', `two connectors are registered as ${definition.kind}`);
    byKind.set(definition.kind, definition);
  }
  const sorted = [...byKind.values()].sort((a, b) => a.kind.localeCompare(b.kind));
  return {
    get: (kind) => byKind.get(kind),
    require(kind) {
      const definition = byKind.get(kind);
      if (!definition) throw new DocentError('config_invalid', `there is no connector of kind "${kind}" (kinds: ${sorted.map((entry) => entry.kind).join(', ')})`, { retryable: false });
      return definition;
    },
    definitions: () => sorted,
  };
}

import type { ConnectorRunDependencies } from '../pipeline/run-connector.js';
import type { Runtime } from './runtime.js';

/** What `runConnector` needs, taken from an open runtime (its index, embedder, store and settings). */
export function connectorDependencies(runtime: Runtime, env: Readonly<Record<string, string | undefined>> = process.env): ConnectorRunDependencies {
  const search: ConnectorRunDependencies['search'] = { candidates: runtime.config.retrieval.candidates };
  if (runtime.config.retrieval.vectorWeight !== undefined) search.fixedVectorWeight = runtime.config.retrieval.vectorWeight;
  return {
    store: runtime.connectors,
    registry: runtime.connectorRegistry,
    index: runtime.index,
    embedder: runtime.embedder,
    chunking: runtime.config.chunking,
    concurrency: runtime.config.ingest.concurrency,
    maxDocumentBytes: runtime.config.ingest.maxFileBytes,
    search,
    env,
    excludedPaths: [runtime.dataDirectory],
  };
}

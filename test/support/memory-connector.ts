import { z } from 'zod';
import { everyone } from '../../src/core/access.js';
import { connectorSourceId, type Connector, type ConnectorDefinition, type ConnectorItem, type SyncContext } from '../../src/core/connector.js';
import { DocentError } from '../../src/core/errors.js';

/** One document held by a `MemorySource`. */
export interface MemoryDocument {
  text: string;
  access: string[];
  /** Bumped by every change, like a page version. */
  revision: number;
  /** When set, reading the document fails with this error (a corrupt or locked file). */
  unreadable?: DocentError;
}

/**
 * A source held in memory that tests change at will (add, edit, delete, change readers,
 * make a document unreadable, fail as a whole): the stand-in for a vendor API in tests of
 * the sync and job layers. Its connector implements the real interface: the checkpoint is
 * the source's change counter, and a load yields only documents changed since.
 */
export class MemorySource {
  readonly documents = new Map<string, MemoryDocument & { changedAt: number }>();
  /** Thrown by validate, load and listIds while set (unreachable, credentials rejected). */
  failure: DocentError | undefined;
  /** Milliseconds each yielded document takes, to make runs long enough to interrupt. */
  delayMs = 0;
  private changes = 0;
  /** Every call the connectors made, in order: `validate`, `load:<checkpoint>`, `listIds`. */
  readonly calls: string[] = [];

  set(name: string, text: string, access: string[] = [everyone]): void {
    const previous = this.documents.get(name);
    this.documents.set(name, { text, access, revision: (previous?.revision ?? 0) + 1, changedAt: ++this.changes });
  }

  setAccess(name: string, access: string[]): void {
    const document = this.require(name);
    this.documents.set(name, { ...document, access, revision: document.revision + 1, changedAt: ++this.changes });
  }

  makeUnreadable(name: string, error: DocentError): void {
    const document = this.require(name);
    this.documents.set(name, { ...document, unreadable: error, revision: document.revision + 1, changedAt: ++this.changes });
  }

  delete(name: string): void {
    this.documents.delete(name);
    this.changes++;
  }

  get changeCounter(): number {
    return this.changes;
  }

  connector(sourceId: string): Connector<number> {
    return new MemoryConnector(this, sourceId);
  }

  private require(name: string): MemoryDocument & { changedAt: number } {
    const document = this.documents.get(name);
    if (!document) throw new Error(`no document ${name} in the memory source`);
    return document;
  }
}

class MemoryConnector implements Connector<number> {
  constructor(
    private readonly source: MemorySource,
    readonly sourceId: string,
  ) {}

  async validate(): Promise<void> {
    this.source.calls.push('validate');
    if (this.source.failure) throw this.source.failure;
  }

  async *load(checkpoint: number | undefined, context: SyncContext): AsyncGenerator<ConnectorItem, number, undefined> {
    this.source.calls.push(`load:${checkpoint ?? 'none'}`);
    if (this.source.failure) throw this.source.failure;
    const startedAt = this.source.changeCounter;
    for (const [name, document] of [...this.source.documents].sort(([a], [b]) => a.localeCompare(b))) {
      if (context.signal.aborted) break;
      if (checkpoint !== undefined && document.changedAt <= checkpoint) continue;
      if (this.source.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.source.delayMs));
      const id = `${this.sourceId}:${name}`;
      if (document.unreadable) {
        yield { failure: { documentId: id, location: `memory://${name}`, error: document.unreadable } };
        continue;
      }
      yield {
        document: { id, sourceId: this.sourceId, uri: `memory://${name}`, name, content: new TextEncoder().encode(document.text), access: document.access, version: `r${document.revision}`, modifiedAt: new Date(Date.UTC(2024, 0, 1, 0, 0, document.revision)).toISOString() },
      };
      // A source failing halfway through a load (the network went away).
      if (this.source.failure) throw this.source.failure;
    }
    return startedAt;
  }

  async *listIds(): AsyncIterable<string> {
    this.source.calls.push('listIds');
    if (this.source.failure) throw this.source.failure;
    for (const name of this.source.documents.keys()) yield `${this.sourceId}:${name}`;
  }
}

/** A registry entry for memory sources: tests keep the sources by name in `sources`. */
export function memoryConnectorDefinition(sources: Map<string, MemorySource>): ConnectorDefinition<{ source: string }> {
  return {
    kind: 'memory',
    description: 'documents held in memory by a test',
    configSchema: z.object({ source: z.string().min(1) }).strict(),
    create(config, environment) {
      const source = sources.get(config.source);
      if (!source) throw new DocentError('config_invalid', `no memory source named ${config.source}`, { retryable: false });
      return source.connector(environment.sourceId ?? connectorSourceId('memory', environment.name));
    },
  };
}


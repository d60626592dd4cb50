import type { z } from 'zod';
import type { DocumentFailure, SourceDocument } from './document.js';

/**
 * A document as a connector yields it: the bytes, who may read it, and its version at the
 * source. Two equal versions promise the same bytes *and* the same readers, so a sync
 * skips such a document without fetching, parsing or embedding it; a connector folds
 * whatever can change a document's permissions into its version (a file's ctime, a page's
 * restrictions) so that a permission change is picked up and applied in place.
 */
export interface ConnectorDocument extends SourceDocument {
  /** ETag, mtime and size, blob id, or page version: opaque, compared for equality only. */
  version: string;
}

/** What a connector yields: a document to index, or one it could not read (which never stops the run). */
export type ConnectorItem = { document: ConnectorDocument } | { failure: DocumentFailure };

/** A connector's own bookmark between runs: JSON only, small (a time, a commit, a cursor). */
export type Checkpoint = string | number | boolean | null | Checkpoint[] | { [key: string]: Checkpoint };

/** What a sync lends a connector while it runs. */
export interface SyncContext {
  /** Aborted when the run must stop (shutdown, pause); a connector returns promptly, without a checkpoint. */
  signal: AbortSignal;
  /**
   * The version of a document as the index holds it now, or undefined when it is not
   * indexed. A connector that can see a document is unchanged without downloading it (a
   * listing with ETags or mtimes) does not yield it at all; the sync double-checks anyway.
   */
  indexedVersion(documentId: string): string | undefined;
  /** A line for the admin's run log (never a secret). */
  log(message: string): void;
}

/**
 * One configured source: a file share, a web site, a Confluence space, a Git repository.
 * Implementations keep no state between runs except what they return as the checkpoint,
 * so any worker process can run any connector.
 */
export interface Connector<State extends Checkpoint = Checkpoint> {
  /** Source id stamped on every document and chunk (`<kind>:<name>`, or `folder:<path>` for `docent index`). */
  readonly sourceId: string;
  /**
   * Checks the configuration against the source: reachable, credentials accepted, the
   * space, repository or folder exists. Throws a `DocentError`: `credentials_rejected`
   * (not retryable: the connector needs an admin) or `source_unreachable` (retryable).
   */
  validate(signal: AbortSignal): Promise<void>;
  /**
   * Yields the documents added or changed since `checkpoint` (all of them when it is
   * undefined) and per-document failures, then returns the next checkpoint. Throws only
   * when the whole source fails (unreachable, credentials rejected), as `DocentError`.
   */
  load(checkpoint: State | undefined, context: SyncContext): AsyncGenerator<ConnectorItem, State, undefined>;
  /**
   * Every document id the source has now, changed or not: indexed documents of this source
   * that are not listed are deleted. Throws rather than list partially, since a partial
   * list would delete documents that still exist.
   */
  listIds(context: SyncContext): AsyncIterable<string>;
  /**
   * The admin confirmed that the source may be empty (a connector's `allowEmpty` setting).
   * Without it, a listing of no ids while the index holds documents of this source fails
   * the run with `source_unreachable` and deletes nothing: an unmounted share, like a
   * source at the wrong address, looks empty.
   */
  readonly allowEmpty?: boolean;
  /**
   * Optional push mode: calls `onChange` soon (seconds) after something changes at the
   * source, until `signal` aborts. The caller then runs a sync.
   */
  watch?(onChange: () => void, signal: AbortSignal): Promise<void>;
  /** Releases connections, clones or watchers. */
  dispose?(): Promise<void>;
}

/** What a connector may use from the process that runs it; passed in, never read globally. */
export interface ConnectorEnvironment {
  /** The configured connector's name, unique per Docent installation (`hr-share`). */
  name: string;
  /**
   * The source id to stamp on documents, when the store holds one other than
   * `connectorSourceId(kind, name)` (folders indexed by `docent index` keep `folder:<path>`).
   */
  sourceId?: string;
  /** Environment variables, where secrets live (a config names the variable, never holds the secret). */
  env: Readonly<Record<string, string | undefined>>;
  /** A folder the connector may keep caches in (a Git clone), kept between runs. */
  cacheDirectory: string;
  /** Files larger than this are reported as `file_too_large` and not downloaded. */
  maxDocumentBytes: number;
  /** Where that limit is set, for the failure message (e.g. `ingest.maxFileBytes, or DOCENT_INGEST_MAX_FILE_BYTES`). */
  maxDocumentBytesSetting?: string;
  /** Local paths a connector never reads, such as Docent's own data directory inside an indexed folder. */
  excludedPaths?: string[];
}

/** A kind of connector, as the registry knows it: how to configure it and how to make one. */
export interface ConnectorDefinition<Config = unknown> {
  /** `file-share`, `web-site`, `confluence`, `git`: also the prefix of its source ids. */
  kind: string;
  /** One line for `docent connectors add --help` and the admin console. */
  description: string;
  /** Validates the admin's settings; secrets appear only as the names of environment variables. */
  configSchema: z.ZodType<Config>;
  create(config: Config, environment: ConnectorEnvironment): Connector;
  /**
   * Whether these settings ask for watch mode (the connector must implement `watch`): the
   * job workers then watch the source and sync it soon after each change. Absent: never.
   */
  watches?(config: Config): boolean;
}

/** Source id of a named connector. */
export function connectorSourceId(kind: string, name: string): string {
  return `${kind}:${name}`;
}

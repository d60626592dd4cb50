import type { SourceDocument } from '../core/document.js';
import type { DocentError } from '../core/errors.js';

/** What a source yields: a document to index, or a document it could not read. */
export type SourceItem = { document: SourceDocument } | { failure: DocumentFailure };

export interface DocumentFailure {
  /** Document id when known, else the path or URL that failed. */
  documentId: string;
  /** Where a person finds the file: a path or URL. */
  location: string;
  error: DocentError;
}

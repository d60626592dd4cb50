import type { DocumentFailure, SourceDocument } from '../core/document.js';

export type { DocumentFailure } from '../core/document.js';

/** What a source yields: a document to index, or a document it could not read. */
export type SourceItem = { document: SourceDocument } | { failure: DocumentFailure };

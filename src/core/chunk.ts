import type { Principal } from './access.js';
import type { Location } from './document.js';

/**
 * A retrievable piece of a document, with everything a citation needs to point back to it.
 */
export interface Chunk {
  /** `<documentId>#<ordinal>`: stable while the document is unchanged. */
  id: string;
  documentId: string;
  sourceId: string;
  /** 0-based position of the chunk within its document. */
  ordinal: number;
  /** The document's title. */
  title: string;
  /** Path or URL of the document, for the citation link. */
  uri: string;
  /** Headings enclosing the chunk, outermost first. */
  headingPath: string[];
  /** Page, slide or sheet where the chunk starts. */
  location: Location;
  /** Character offsets of the chunk within the document's extracted text (end exclusive). */
  startOffset: number;
  endOffset: number;
  text: string;
  /** Token count by the chunker's tokenizer, for context packing. */
  tokenCount: number;
  /** Principals allowed to read the chunk (its document's). */
  access: Principal[];
  /** SHA-256 of the document's raw bytes: an unchanged hash means nothing to re-embed. */
  contentHash: string;
  /** Last modification at the source, ISO 8601, when known. */
  modifiedAt?: string;
}

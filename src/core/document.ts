import type { Principal } from './access.js';
import type { DocentError } from './errors.js';

/**
 * Where a piece of text sits inside its document, so that a citation can send a reader
 * to the right page, slide, sheet or section.
 */
export interface Location {
  /** 1-based page number (PDF). */
  page?: number;
  /** 1-based slide number (presentations). */
  slide?: number;
  /** Sheet name (spreadsheets). */
  sheet?: string;
}

/** A structural unit of parsed text. */
export interface Block {
  kind: 'heading' | 'paragraph' | 'list' | 'table' | 'code';
  /** The block's text, whitespace-normalised but with line breaks kept inside tables and code. */
  text: string;
  /** Heading level, 1 = top; only for `heading` blocks. */
  level?: number;
  /** The page, slide or sheet the block belongs to, when the format has them. */
  location?: Location;
}

/** The outcome of parsing one file: its text as ordered structural blocks. */
export interface ParsedDocument {
  /** The document's own title (metadata, first heading or subject), if it has one. */
  title?: string;
  /** The blocks in reading order. */
  blocks: Block[];
  /** Files embedded in this one (e-mail attachments) that are indexed as their own documents. */
  attachments?: EmbeddedFile[];
  /** Extra metadata worth showing or filtering on (author, sender, date, ...). */
  metadata?: Record<string, string>;
}

export interface EmbeddedFile {
  /** File name as given by the container. */
  name: string;
  /** Declared media type, if any; content sniffing decides the parser. */
  mediaType?: string;
  content: Uint8Array;
}

/**
 * A document as a source yields it, before parsing: identity, bytes and who may read it.
 */
export interface SourceDocument {
  /** Stable id, unique across all sources (e.g. `folder:handbook/leave.md`). */
  id: string;
  /** Id of the source (connector instance) that produced it. */
  sourceId: string;
  /** Path or URL a person can open; shown in citations. */
  uri: string;
  /** File name, used as a hint for the format and as a fallback title. */
  name: string;
  /** The raw bytes. */
  content: Uint8Array;
  /**
   * The character encoding the source declared for text content, e.g. the charset of an
   * HTTP Content-Type. It beats a charset the document declares itself (as browsers read
   * pages); a byte order mark or bytes that are valid UTF-8 still win.
   */
  charset?: string;
  /** Principals allowed to read the document. */
  access: Principal[];
  /** Last modification at the source, as an ISO 8601 string, when known. */
  modifiedAt?: string;
  /** Id of the document this one was embedded in (an e-mail's attachment), if any. */
  parentId?: string;
}

/** A document a source could not read; reported with its reason, never stopping the run. */
export interface DocumentFailure {
  /** Document id when known, else the path or URL that failed. */
  documentId: string;
  /** Where a person finds the file: a path or URL. */
  location: string;
  error: DocentError;
}

import path from 'node:path';
import type { DocumentFiles, OpenedDocumentFile } from '../chat/web/document-files.js';
import type { ChunkIndex } from '../../indexes/chunk-index.js';

/**
 * Opens the original file of an indexed document for a reader whose principals share at
 * least one with the document's. Only local files are served: a URL-addressed document
 * is opened by its link, not through Docent.
 */
export class IndexedDocumentFiles implements DocumentFiles {
  constructor(private readonly index: ChunkIndex) {}

  async open(documentId: string, principals: string[]): Promise<OpenedDocumentFile | undefined> {
    const document = await this.index.documentAccess(documentId);
    if (!document || !document.access.some((principal) => principals.includes(principal))) return undefined;
    if (!path.isAbsolute(document.uri)) return undefined;
    return { filePath: document.uri, name: path.basename(document.uri) };
  }
}

/**
 * Lets a citation link open the original file. The web chat never reads the index or the
 * source itself: whoever wires the server decides where originals live and who may read
 * them, so the access rule stays with the code that owns the documents.
 */
export interface DocumentFiles {
  /**
   * Finds the original file of a document for someone holding `principals`.
   * Returns `undefined` both when the document is unknown and when the principals may
   * not read it, so a caller cannot tell the two apart.
   */
  open(documentId: string, principals: string[]): Promise<OpenedDocumentFile | undefined>;
}

export interface OpenedDocumentFile {
  /** Absolute path of the file on this machine; streamed as is. */
  filePath: string;
  /** File name shown to the reader (content-disposition); any path part is dropped. */
  name: string;
  /** Media type, when known; otherwise guessed from the file name's extension. */
  mediaType?: string;
}

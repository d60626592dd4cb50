import type { ConnectorDocument } from '../core/connector.js';
import type { DocumentBatch } from './sync-stages.js';

/** A document as it travels in a BullMQ job: JSON, with its bytes in base64. */
type EncodedDocument = Omit<ConnectorDocument, 'content'> & { content: string };

/** A batch as stored in Redis. */
export interface EncodedBatch extends Omit<DocumentBatch, 'documents'> {
  documents: EncodedDocument[];
}

export function encodeBatch(batch: DocumentBatch): EncodedBatch {
  return {
    ...batch,
    documents: batch.documents.map((document) => ({ ...document, content: Buffer.from(document.content.buffer, document.content.byteOffset, document.content.byteLength).toString('base64') })),
  };
}

export function decodeBatch(encoded: EncodedBatch): DocumentBatch {
  return {
    ...encoded,
    documents: encoded.documents.map((document) => {
      const bytes = Buffer.from(document.content, 'base64');
      return { ...document, content: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
    }),
  };
}

import * as lancedb from '@lancedb/lancedb';
import { Embeddings } from '@langchain/core/embeddings';
import { Document } from '@langchain/core/documents';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import type { Embedder } from '../src/core/embedder.js';

/** Our embedder behind LangChain's Embeddings interface, so both pipelines run the same model. */
class SameEmbedder extends Embeddings {
  constructor(private readonly embedder: Embedder) {
    super({});
  }

  async embedDocuments(texts: string[]): Promise<number[][]> {
    return (await this.embedder.embedDocuments(texts)).map((vector) => Array.from(vector));
  }

  async embedQuery(text: string): Promise<number[]> {
    return Array.from(await this.embedder.embedQuery(text));
  }
}

/**
 * The common LangChain.js pipeline: the recursive character splitter with its documented
 * defaults for RAG (1000 characters, 200 overlap), the embedder, and a LanceDB table
 * written the way LangChain's LanceDB vector store writes it (`fromDocuments`: embed every
 * chunk, then one table of vector, text and metadata). The store's own package
 * (@langchain/community) cannot be installed beside current LanceDB (its peer range stops
 * at 0.19), so its write path is reproduced here with the same calls.
 */
export async function runLangChainPeer(documents: { source: string; text: string }[], embedder: Embedder, directory: string): Promise<{ chunks: number }> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
  const chunks = await splitter.splitDocuments(documents.map((document) => new Document({ pageContent: document.text, metadata: { source: document.source } })));
  const embeddings = new SameEmbedder(embedder);
  const vectors = await embeddings.embedDocuments(chunks.map((chunk) => chunk.pageContent));
  const rows = chunks.map((chunk, index) => ({ vector: vectors[index]!, text: chunk.pageContent, source: String(chunk.metadata.source) }));
  const connection = await lancedb.connect(directory);
  const table = await connection.createTable('vectors', rows, { mode: 'overwrite' });
  table.close();
  connection.close();
  return { chunks: chunks.length };
}

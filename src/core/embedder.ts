/**
 * Turns text into vectors. One instance per process: loading a model is expensive, so
 * implementations load lazily on first use and release memory in `dispose()`.
 */
export interface Embedder {
  /** Identifies the model and its settings; an index built with one id refuses another. */
  readonly modelId: string;
  /** Length of every vector produced. */
  readonly dimensions: number;
  /**
   * Languages the model was trained on (ISO 639-1), when it is known to be limited to some;
   * undefined means multilingual or unknown. Callers skip semantic comparisons of text in
   * other languages, where the vectors carry little meaning.
   */
  readonly languages?: readonly string[];
  /** Embeds passages for indexing; the order of results matches the input. */
  embedDocuments(texts: string[]): Promise<Float32Array[]>;
  /** Embeds a search query (some models encode queries differently from passages). */
  embedQuery(text: string): Promise<Float32Array>;
  /** Releases the model and any worker threads. */
  dispose(): Promise<void>;
}

/**
 * Universal Sentence Encoder Lite reads only its first 128 SentencePiece tokens (about
 * 60 English words) and its tokenizer is quadratic in input length. So text is cut into
 * word windows that fit before it reaches the model, and the caller averages the windows'
 * vectors. Runs of whitespace are collapsed first because each space is a token.
 */
export function splitIntoWindows(text: string, wordsPerWindow: number, maximumWindows: number): string[] {
  const words = text.replace(/\s+/g, ' ').trim().split(' ').filter((word) => word.length > 0);
  if (words.length === 0) return [''];
  const windows: string[] = [];
  for (let start = 0; start < words.length && windows.length < maximumWindows; start += wordsPerWindow) {
    // A word longer than 40 characters (URLs, hashes, base64) costs many tokens and says little.
    windows.push(words.slice(start, start + wordsPerWindow).map((word) => (word.length > 40 ? word.slice(0, 40) : word)).join(' '));
  }
  return windows;
}

/** Mean of vectors, scaled to unit length so cosine and dot product agree. */
export function averageUnitVector(vectors: Float32Array[]): Float32Array {
  const dimensions = vectors[0]?.length ?? 0;
  const sum = new Float32Array(dimensions);
  for (const vector of vectors) for (let index = 0; index < dimensions; index++) sum[index]! += vector[index]!;
  return normalize(sum);
}

export function normalize(vector: Float32Array): Float32Array {
  let norm = 0;
  for (const value of vector) norm += value * value;
  norm = Math.sqrt(norm);
  if (norm === 0) return vector;
  for (let index = 0; index < vector.length; index++) vector[index]! /= norm;
  return vector;
}

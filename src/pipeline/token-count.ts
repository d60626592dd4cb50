/**
 * A fast, model-independent token estimate used to size chunks. Subword tokenizers split
 * long Latin words into pieces (about one per six letters) and give most CJK characters a
 * token of their own; this mirrors that closely enough to keep chunks within a model's
 * budget without loading any tokenizer. Exact counts for prompt packing come from the
 * language model's own tokenizer.
 */
const tokenPattern = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

export function countTokens(text: string): number {
  let count = 0;
  for (const match of text.matchAll(tokenPattern)) {
    const piece = match[0];
    count += piece.length > 6 && /^[\p{L}\p{N}]/u.test(piece) && !isCjk(piece) ? Math.ceil(piece.length / 6) : 1;
  }
  return count;
}

const cjkPattern = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

export function isCjk(text: string): boolean {
  return cjkPattern.test(text);
}

import type { Embedder } from '../core/embedder.js';

/** Share of letters in Latin script: above 0.8 a text is treated as English-like for an English-only model. */
function latinShare(text: string): number {
  const letters = text.match(/\p{L}/gu) ?? [];
  const latin = text.match(/\p{Script=Latin}/gu) ?? [];
  return letters.length === 0 ? 0 : latin.length / letters.length;
}

/**
 * Whether the embedder's vectors carry meaning for this text. A model trained on English
 * only (the bundled USE-Lite) maps Korean or Japanese text to vectors that are close to
 * one another whatever they say (measured on KorQuAD: vector-only nDCG@10 0.008), so
 * comparing such vectors adds noise, not evidence. Multilingual or unknown models are
 * trusted.
 */
export function embedderUnderstands(embedder: Pick<Embedder, 'languages'>, text: string): boolean {
  const languages = embedder.languages;
  if (!languages || languages.some((language) => language !== 'en')) return true;
  return latinShare(text) >= 0.8;
}

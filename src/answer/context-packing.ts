import type { SearchHit } from '../core/search.js';
import { splitSentences } from '../pipeline/sentences.js';
import { formatSource, type PromptSource } from './grounded-prompt.js';

export type TokenCounter = (text: string) => Promise<number>;

/**
 * Chooses the sources a prompt carries within `budget` tokens, measured with the model's
 * own tokenizer: passages in ranking order (most relevant first), each whole while it
 * fits; the first one that does not fit is cut after its last whole sentence that does,
 * and packing stops there (what follows ranks lower still). A passage is never cut
 * inside a sentence, which would change what it says.
 */
export async function packSources(hits: SearchHit[], budget: number, countTokens: TokenCounter): Promise<PromptSource[]> {
  const sources: PromptSource[] = [];
  let remaining = budget;
  for (const hit of hits) {
    const number = sources.length + 1;
    const whole: PromptSource = { number, hit, text: hit.chunk.text.trim() };
    // The newline that separates sources costs a token too.
    const wholeTokens = (await countTokens(formatSource(whole))) + 1;
    if (wholeTokens <= remaining) {
      sources.push(whole);
      remaining -= wholeTokens;
      continue;
    }
    const cut = await longestFittingPrefix(whole, remaining, countTokens);
    if (cut) sources.push(cut);
    break;
  }
  return sources;
}

/** The most leading sentences of the passage that fit, found by bisection over sentence ends. */
async function longestFittingPrefix(source: PromptSource, budget: number, countTokens: TokenCounter): Promise<PromptSource | undefined> {
  const sentences = splitSentences(source.text);
  const prefix = (count: number): PromptSource => ({ ...source, text: source.text.slice(0, sentences[count - 1]!.end) });
  let low = 0;
  let high = sentences.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if ((await countTokens(formatSource(prefix(middle)))) + 1 <= budget) low = middle;
    else high = middle - 1;
  }
  return low > 0 ? prefix(low) : undefined;
}

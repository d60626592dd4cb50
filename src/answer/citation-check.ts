import type { AnswerSentence } from '../core/answer.js';
import { splitSentences } from '../pipeline/sentences.js';

export interface CheckedAnswer {
  /** The answer with valid citations renumbered 1, 2, … in order of first use, as `[1][2]`. */
  text: string;
  sentences: AnswerSentence[];
  /** Source numbers as given to the model, in the order the answer first cites them; new number n is `cited[n - 1]`. */
  cited: number[];
  /** Numbers the model cited that matched no source. */
  invalid: number[];
}

/** `[3]`, `[1, 2]`, `[1; 4]`, `[2-3]`, also with "source"/"sources" inside the brackets. */
const citationGroup = /\s*\[(?:sources?\s*)?(\d+(?:\s*(?:[,;]|-|–|and)\s*(?:sources?\s*)?\d+)*)\]/giu;

function numbersIn(group: string): number[] {
  const numbers: number[] = [];
  for (const part of group.split(/\s*(?:[,;]|and)\s*/i)) {
    const range = /^(?:sources?\s*)?(\d+)\s*[-–]\s*(?:sources?\s*)?(\d+)$/i.exec(part.trim());
    if (range) {
      const [from, to] = [Number(range[1]), Number(range[2])];
      for (let number = from; number <= to && number - from < 20; number++) numbers.push(number);
    } else {
      const single = /(\d+)/.exec(part);
      if (single) numbers.push(Number(single[1]));
    }
  }
  return numbers;
}

function numbersOf(text: string): number[] {
  return [...new Set([...text.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1])))];
}

/**
 * Citations written by a model are claims to verify, not facts: every [n] must name one
 * of the `sourceCount` sources it was given. Citations to nothing are removed; the rest
 * are renumbered in order of first use so the sources shown run 1, 2, 3.
 */
export function checkCitations(answer: string, sourceCount: number): CheckedAnswer {
  const cited: number[] = [];
  const invalid: number[] = [];
  const text = answer
    .replace(citationGroup, (_match, group: string) => {
      const valid: number[] = [];
      for (const number of numbersIn(group)) {
        if (number < 1 || number > sourceCount) {
          if (!invalid.includes(number)) invalid.push(number);
          continue;
        }
        if (!cited.includes(number)) cited.push(number);
        const renumbered = cited.indexOf(number) + 1;
        if (!valid.includes(renumbered)) valid.push(renumbered);
      }
      return valid.length > 0 ? ` ${valid.map((number) => `[${number}]`).join('')}` : '';
    })
    .replace(/[ \t]+([.,;:!?。])/g, '$1')
    .trim();
  const sentences: AnswerSentence[] = [];
  for (const span of splitSentences(text)) {
    const previous = sentences[sentences.length - 1];
    // "… 25 days. [1] Ask HR." puts the citation after the full stop, where it belongs to the sentence before.
    const leading = previous ? /^(?:\[\d+\]\s*)+/.exec(span.text)?.[0] ?? '' : '';
    if (previous && leading) previous.citations = [...new Set([...previous.citations, ...numbersOf(leading)])];
    const rest = span.text.slice(leading.length);
    const sentenceText = rest.replace(/\s*\[\d+\]/g, '').trim();
    if (/[\p{L}\p{N}]/u.test(sentenceText)) sentences.push({ text: sentenceText, citations: numbersOf(rest) });
  }
  return { text, sentences, cited, invalid };
}

import { toLexicalText } from '../../indexes/lexical-text.js';

/**
 * Words that carry no topic: English function words and question words, and the Korean
 * question endings and function words (as bigrams, matching how Korean is indexed).
 */
const englishStopWords = new Set(
  `a an the and or but if then else of to in on at by for with from into onto about as is are was were be been being am
  do does did doing have has had having can could should would will shall may might must i me my mine we us our ours you
  your yours he him his she her hers it its they them their theirs this that these those there here what which who whom
  whose when where why how much many any some all each every no not only own same so than too very just also get got
  tell please know need want like one ones s t long often quickly soon mean means meaning anyone someone possible
  allowed able`.split(/\s+/),
);
/** Korean question and function words, by their first two syllables (see keyTermsOf). */
const koreanStopStems = new Set(
  '어떻 무엇 무슨 언제 어디 어느 누구 누가 얼마 며칠 몇 왜 있나 있어 있을 하나 되나 인가 입니 합니 됩니 있습 알려 주세 해야 하면 하려 하는 해도 할 수 경우 되는 되면 대해 관련 받을 받나 받아 받으 까지 시까'.split(' '),
);
const hangulWord = /^[\p{Script=Hangul}]+$/u;

const stemRules: [RegExp, string][] = [
  [/ies$/, 'y'],
  [/(ss)$/, '$1'],
  [/([^s])s$/, '$1'],
  [/ments?$/, ''],
  [/ing$/, ''],
  [/ed$/, ''],
  [/ly$/, ''],
  [/al$/, ''],
  [/e$/, ''],
];

/**
 * Stems already worked out. Every answer stems the words of its top passages, and a
 * company's documents use a vocabulary of some tens of thousands of words; past this many
 * the map starts again rather than grow.
 */
const knownStems = new Map<string, string>();
const maximumKnownStems = 100_000;

/**
 * A light English stemmer (plural, -ing, -ed, -ly): enough to match "requests" with
 * "request" and "approved" with "approval"'s stem "approv" without a full Porter stemmer.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /[^a-z]/.test(word)) return word;
  const known = knownStems.get(word);
  if (known !== undefined) return known;
  let result = word;
  for (const [pattern, replacement] of stemRules) {
    const next = result.replace(pattern, replacement);
    if (next !== result && next.length >= 3) result = next;
  }
  if (knownStems.size >= maximumKnownStems) knownStems.clear();
  knownStems.set(word, result);
  return result;
}

/** The terms of a text, normalised the same way for questions and passages. */
export function termsOf(text: string): string[] {
  const lexical = toLexicalText(text.normalize('NFKC').toLowerCase());
  return (lexical.match(/[\p{L}\p{N}]+/gu) ?? []).map(stem);
}

/**
 * The question's topic terms, each once, without stop words. A Korean word is a stem
 * followed by particles and endings (휴가는, 신청하려면), so it is represented by its first
 * two syllables, which the passage's bigrams then match wherever the stem appears.
 */
export function keyTermsOf(question: string): string[] {
  const terms: string[] = [];
  for (const word of question.normalize('NFKC').toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []) {
    if (hangulWord.test(word)) {
      const stem = [...word].slice(0, 2).join('');
      if (!koreanStopStems.has(stem)) terms.push(stem);
      continue;
    }
    if (englishStopWords.has(word)) continue;
    terms.push(...termsOf(word).filter((term) => !englishStopWords.has(term)));
  }
  return [...new Set(terms)];
}

import type { Answer, AnswerSentence, Citation } from '../core/answer.js';
import { everyone } from '../core/access.js';
import type { SearchHit } from '../core/search.js';
import { splitSentences } from '../pipeline/sentences.js';
import { locationLabel } from './location-label.js';
import { keyTermsOf, termsOf } from './query-terms.js';

export interface ExtractiveOptions {
  /** Sentences in an answer. */
  maxSentences: number;
  /**
   * Share of the question's key terms (weighted by rarity) the best passage, with its title
   * and headings, must contain for the question to count as answered; below it the
   * answer is "not found".
   */
  minimumCoverage: number;
  /** Closest sources listed with a "not found" answer. */
  closestSources?: number;
  /**
   * When sentence similarities are given: the closest sentence must be at least this
   * similar to the question (cosine), or the passages share words with the question
   * without being about it ("Can I bring my dog?" against "Bring a photo ID").
   */
  minimumSimilarity?: number;
}

/** A sentence (or table row) of a retrieved passage that could be quoted. */
export interface Candidate {
  hit: SearchHit;
  /** Position of the passage in the retrieval ranking. */
  rank: number;
  text: string;
  start: number;
  end: number;
}

export const notFoundText = 'I could not find this in the indexed documents. The closest sources are listed below.';

/** Passages whose sentences are considered for quoting; lower-ranked ones rarely hold the answer. */
export const quotedPassages = 5;

/** The sentences of the top passages, in ranking order. */
export function candidatesOf(hits: SearchHit[], passages = quotedPassages): Candidate[] {
  return hits.slice(0, passages).flatMap((hit, rank) =>
    splitSentences(hit.chunk.text)
      .filter((span) => /[\p{L}\p{N}]/u.test(span.text))
      .map((span) => ({ hit, rank, text: span.text, start: span.start, end: span.end })),
  );
}

/** What a sentence's score is made of: the question's terms it holds, its meaning, and its passage's rank. */
const lexicalWeight = 0.45;
const semanticWeight = 0.35;
const rankWeight = 0.2;
/** A sentence quoted beside the best one scores at least this share of the best one's score. */
const companionShare = 0.85;

interface SentenceScoring {
  keyTerms: string[];
  passageTerms: Set<string>[];
  /** A candidate's score without its meaning (`prior`), to which `semanticWeight × semantic × lengthPenalty` adds. */
  score(candidate: Candidate): { lexical: number; prior: number; lengthPenalty: number };
}

function sentenceScoring(question: string, hits: SearchHit[]): SentenceScoring {
  const keyTerms = keyTermsOf(question);
  const passageTerms = hits.map((hit) => new Set(termsOf([hit.chunk.title, ...hit.chunk.headingPath, hit.chunk.text].join(' '))));
  const weights = termWeights(keyTerms, passageTerms);
  const coverageOf = (terms: Set<string>, context: Set<string>): number => {
    let total = 0;
    let covered = 0;
    for (const term of keyTerms) {
      const weight = weights.get(term)!;
      total += weight;
      if (terms.has(term)) covered += weight;
      else if (context.has(term)) covered += weight * 0.5;
    }
    return total > 0 ? covered / total : 0;
  };
  const bestHitScore = Math.max(...hits.map((hit) => hit.score), Number.EPSILON);
  const contexts = new Map<SearchHit, Set<string>>();
  const scores = new Map<Candidate, ReturnType<SentenceScoring['score']>>();
  return {
    keyTerms,
    passageTerms,
    score(candidate) {
      let score = scores.get(candidate);
      if (score) return score;
      const chunk = candidate.hit.chunk;
      let context = contexts.get(candidate.hit);
      if (!context) contexts.set(candidate.hit, (context = new Set(termsOf([chunk.title, ...chunk.headingPath].join(' ')))));
      const lexical = coverageOf(new Set(termsOf(candidate.text)), context);
      const words = candidate.text.split(/\s+/).length;
      const lengthPenalty = words > 70 ? 0.85 : words < 4 ? 0.8 : 1;
      score = { lexical, prior: (lexicalWeight * lexical + rankWeight * (candidate.hit.score / bestHitScore)) * lengthPenalty, lengthPenalty };
      scores.set(candidate, score);
      return score;
    },
  };
}

/**
 * Quoting for one question and its passages. Choosing which sentences to embed and then
 * choosing the sentences to quote score the same candidates; one answerer scores each once.
 */
export interface ExtractiveAnswerer {
  /**
   * The candidates whose closeness in meaning to the question could matter, so that only
   * they are embedded (on a CPU, embedding the sentences of the top passages costs ten
   * times the rest of an answer). None when the passages hold too few of the question's
   * terms to be quoted at all. Otherwise those that, were they the closest in meaning,
   * would score enough to be quoted: at least `companionShare` of the best score any
   * sentence has without its meaning. The others cannot be quoted whatever they mean.
   */
  worthEmbedding(candidates: Candidate[], options: ExtractiveOptions): Candidate[];
  /** See `answerExtractively`. */
  answer(options: ExtractiveOptions, candidates: Candidate[], similarities?: number[]): Omit<Answer, 'elapsedMs'>;
}

export function extractiveAnswerer(question: string, hits: SearchHit[]): ExtractiveAnswerer {
  const scoring = sentenceScoring(question, hits);
  return {
    worthEmbedding(candidates, options) {
      if (scoring.keyTerms.length === 0 || evidenceOf(scoring.keyTerms, scoring.passageTerms).coverage < options.minimumCoverage) return [];
      const scored = candidates.map((candidate) => ({ candidate, ...scoring.score(candidate) }));
      const floor = companionShare * Math.max(0, ...scored.map((entry) => entry.prior));
      return scored.filter((entry) => entry.prior + semanticWeight * entry.lengthPenalty >= floor).map((entry) => entry.candidate);
    },
    answer: (options, candidates, similarities) => quote(question, hits, scoring, options, candidates, similarities),
  };
}


/**
 * Answers without a language model. First decides whether the passages answer at all: the
 * best passage (with its title and headings) must cover enough of the question's key
 * terms, rare terms counting more, or the answer is an honest "not found" with the closest
 * sources. Then quotes the sentences that best answer: those sharing the question's terms,
 * close to it in meaning (`similarities`, one per candidate, from the embedder) and from
 * higher-ranked passages; each quoted sentence cites its passage.
 */
export function answerExtractively(
  question: string,
  hits: SearchHit[],
  options: ExtractiveOptions,
  candidates: Candidate[] = candidatesOf(hits),
  similarities?: number[],
): Omit<Answer, 'elapsedMs'> {
  return extractiveAnswerer(question, hits).answer(options, candidates, similarities);
}

function quote(question: string, hits: SearchHit[], scoring: SentenceScoring, options: ExtractiveOptions, candidates: Candidate[], similarities?: number[]): Omit<Answer, 'elapsedMs'> {
  const evidence = evidenceOf(scoring.keyTerms, scoring.passageTerms, similarities);
  if (scoring.keyTerms.length === 0 || candidates.length === 0 || evidence.coverage < options.minimumCoverage || (evidence.similarity !== undefined && evidence.similarity < (options.minimumSimilarity ?? defaultMinimumSimilarity))) {
    return notFoundAnswer(question, hits, options.closestSources ?? 3);
  }

  const [lowestSimilarity, highestSimilarity] = similarities && similarities.length > 0 ? [Math.min(...similarities), Math.max(...similarities)] : [0, 0];
  const scored = candidates.map((candidate, position) => {
    const { lexical, prior, lengthPenalty } = scoring.score(candidate);
    const semantic = similarities && highestSimilarity > lowestSimilarity ? (similarities[position]! - lowestSimilarity) / (highestSimilarity - lowestSimilarity) : lexical;
    return { candidate, lexical, score: prior + semanticWeight * semantic * lengthPenalty };
  });
  scored.sort((a, b) => b.score - a.score || a.candidate.rank - b.candidate.rank || a.candidate.start - b.candidate.start);

  const best = scored[0]!;
  const chosen = [best];
  for (const entry of scored.slice(1)) {
    if (chosen.length >= options.maxSentences || entry.score < best.score * companionShare) break;
    const repeats = chosen.some(
      (other) => other.candidate.text === entry.candidate.text || (other.candidate.hit.chunk.id === entry.candidate.hit.chunk.id && overlaps(other.candidate, entry.candidate)),
    );
    if (!repeats && entry.lexical > 0) chosen.push(entry);
  }
  // Quote in reading order within a passage, so a sentence and its follow-up read naturally.
  chosen.sort((a, b) => a.candidate.rank - b.candidate.rank || a.candidate.start - b.candidate.start);
  for (const entry of chosen) entry.candidate = withContinuation(entry.candidate);

  const citations: Citation[] = [];
  const sentences: AnswerSentence[] = chosen.map(({ candidate }) => {
    let citation = citations.find((existing) => existing.chunkId === candidate.hit.chunk.id);
    if (!citation) {
      citation = citationOf(candidate.hit, citations.length + 1, excerptAround(candidate));
      citations.push(citation);
    }
    return { text: candidate.text, citations: [citation.number] };
  });
  return {
    question,
    notFound: false,
    text: sentences.map((sentence) => `${sentence.text} [${sentence.citations.join('][')}]`).join(' '),
    sentences,
    citations,
    generator: 'extractive',
  };
}

export const defaultMinimumSimilarity = 0.4;

export interface Evidence {
  /** Largest share of the question's key terms that one passage (with its title and headings) contains. */
  coverage: number;
  /** Cosine similarity of the sentence closest in meaning to the question, when sentences were embedded. */
  similarity?: number;
}

function evidenceOf(keyTerms: string[], passageTerms: Set<string>[], similarities?: number[]): Evidence {
  // Key terms count plainly here (a share a person can reason about); rarity only ranks sentences.
  const coverage = Math.max(0, ...passageTerms.map((terms) => keyTerms.filter((term) => terms.has(term)).length / Math.max(1, keyTerms.length)));
  return similarities && similarities.length > 0 ? { coverage, similarity: Math.max(...similarities) } : { coverage };
}

/** How well the retrieved passages match the question, in words and in meaning. */
export function evidenceFor(question: string, hits: SearchHit[], similarities?: number[]): Evidence {
  const passageTerms = hits.map((hit) => new Set(termsOf([hit.chunk.title, ...hit.chunk.headingPath, hit.chunk.text].join(' '))));
  return evidenceOf(keyTermsOf(question), passageTerms, similarities);
}

/** Inverse document frequency over the retrieved passages: a term every passage has tells little apart. */
function termWeights(keyTerms: string[], passageTerms: Set<string>[]): Map<string, number> {
  const total = Math.max(1, passageTerms.length);
  return new Map(
    keyTerms.map((term) => {
      const frequency = passageTerms.filter((terms) => terms.has(term)).length;
      return [term, Math.log(1 + total / (1 + frequency))];
    }),
  );
}

/**
 * A sentence that ends with a colon introduces what follows ("If you lose your phone:",
 * "The limits are:"); quoting it alone answers nothing, so the next few lines of the same
 * passage come with it.
 */
function withContinuation(candidate: Candidate): Candidate {
  if (!/[:：]$/.test(candidate.text)) return candidate;
  const text = candidate.hit.chunk.text;
  // Lists are laid out one item a line; sentence segmentation is unreliable on "1." and "ext.".
  const lines = text.slice(candidate.end).split('\n');
  let end = candidate.end;
  let taken = 0;
  for (const line of lines) {
    end += line.length + 1;
    if (line.trim() === '') {
      if (taken > 0) break;
      continue;
    }
    if (++taken === 3) break;
  }
  end = Math.min(end, text.length);
  return { ...candidate, end, text: text.slice(candidate.start, end).trim().replace(/\s*\n\s*/g, ' ') };
}

function overlaps(a: Candidate, b: Candidate): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The sentence with some of what surrounds it, cut at word boundaries. */
function excerptAround(candidate: Candidate, size = 320): string {
  const text = candidate.hit.chunk.text;
  const room = Math.max(0, size - (candidate.end - candidate.start));
  let start = Math.max(0, candidate.start - Math.floor(room / 2));
  let end = Math.min(text.length, candidate.end + Math.ceil(room / 2));
  if (start > 0) start = text.indexOf(' ', start) + 1 || start;
  if (end < text.length) end = text.lastIndexOf(' ', end) > candidate.end ? text.lastIndexOf(' ', end) : end;
  return `${start > 0 ? '… ' : ''}${text.slice(start, end).trim()}${end < text.length ? ' …' : ''}`;
}

export function citationOf(hit: SearchHit, number: number, excerpt?: string): Citation {
  const chunk = hit.chunk;
  return {
    number,
    documentId: chunk.documentId,
    chunkId: chunk.id,
    title: chunk.title,
    uri: chunk.uri,
    location: chunk.location,
    headingPath: chunk.headingPath,
    locationLabel: locationLabel(chunk),
    excerpt: excerpt ?? (chunk.text.length > 320 ? `${chunk.text.slice(0, chunk.text.lastIndexOf(' ', 320))} …` : chunk.text),
    readableByEveryone: chunk.access.includes(everyone),
  };
}

/** The honest "not found" answer, listing the closest sources (one passage per document). */
export function notFoundAnswer(question: string, hits: SearchHit[], closest: number, generator = 'extractive'): Omit<Answer, 'elapsedMs'> {
  const seen = new Set<string>();
  const citations: Citation[] = [];
  for (const hit of hits) {
    if (citations.length >= closest) break;
    if (seen.has(hit.chunk.documentId)) continue;
    seen.add(hit.chunk.documentId);
    citations.push(citationOf(hit, citations.length + 1));
  }
  return { question, notFound: true, text: notFoundText, sentences: [], citations, generator };
}

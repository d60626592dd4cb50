import type { Location } from './document.js';

/** A numbered source an answer refers to. */
export interface Citation {
  /** The number shown in the answer text as [n]; 1-based. */
  number: number;
  documentId: string;
  chunkId: string;
  title: string;
  /** Path or URL a person can open. */
  uri: string;
  location: Location;
  headingPath: string[];
  /** Human-readable place inside the document: "page 3", "Leave › Annual leave". */
  locationLabel: string;
  /** The passage the answer relies on, for display beside the answer. */
  excerpt: string;
  /**
   * Whether the document is open to everyone. A private answer may be shared with a
   * channel only when every source it shows is: others there may not read the rest.
   */
  readableByEveryone?: boolean;
}

export interface AnswerSentence {
  text: string;
  /** Citation numbers supporting this sentence. */
  citations: number[];
}

/** A passage retrieval handed to the answerer, for the audit record: what the answer could draw on. */
export interface RetrievedPassage {
  chunkId: string;
  documentId: string;
  /** SHA-256 of the document's bytes when indexed: which version of the document it was. */
  contentHash: string;
  /** Modification time at the source, when known. */
  modifiedAt?: string;
  /** Fused relevance in [0, 1]. */
  score: number;
}

export interface Answer {
  /** Identifies the answer for feedback and the audit record; set once the answer is recorded. */
  id?: string;
  question: string;
  /** True when the indexed documents did not contain a good enough answer. */
  notFound: boolean;
  /** The answer as text with [n] markers. */
  text: string;
  /** The same answer sentence by sentence, for surfaces that render citations inline. */
  sentences: AnswerSentence[];
  /** Sources cited by the answer, or the closest sources when nothing was found. */
  citations: Citation[];
  /** How the answer was produced: `extractive` or the language model's id. */
  generator: string;
  /**
   * What the asker should know about how this answer was made, e.g. that no language
   * model is configured or that it was unavailable and the answer quotes the documents.
   */
  notice?: string;
  /** Set when the language model was busy: seconds after which asking again should get a written answer. */
  retryAfterSeconds?: number;
  /** The query retrieval used: the question, or a follow-up rewritten to stand on its own. */
  query?: string;
  /** Token counts and timing of the language model's part, when one wrote the answer. */
  generation?: { promptTokens: number; answerTokens: number; timeToFirstTokenMs: number; promptVersion: string };
  /** Every passage retrieval returned for the question, in ranking order (what the answer could draw on). */
  retrieved?: RetrievedPassage[];
  /** Milliseconds spent retrieving and answering. */
  elapsedMs: number;
}

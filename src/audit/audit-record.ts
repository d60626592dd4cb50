import type { Principal } from '../core/access.js';

/**
 * What the audit log holds, one JSON line per record. Every record carries the envelope
 * (sequence, id, time, the previous record's hash and its own) plus the content of one of
 * the types below. Field names are part of the stored format: add fields, never rename.
 */

export type RedactionKind = 'email' | 'phone' | 'resident-registration-number' | 'card-number';

export const redactionKinds: readonly RedactionKind[] = ['email', 'phone', 'resident-registration-number', 'card-number'];

/** How many values of one kind were removed from one field before the record was stored; never the values. */
export interface RedactionCount {
  /** `question`, `query`, `answer` or `comment`. */
  field: string;
  kind: RedactionKind;
  count: number;
}

/** A passage retrieval returned: which chunk of which version of which document. */
export interface PassageReference {
  chunkId: string;
  documentId: string;
  /** SHA-256 of the document's bytes when it was indexed: the document version. */
  contentHash?: string;
  /** Modification time at the source, when known. */
  modifiedAt?: string;
  /** Fused relevance in [0, 1]. */
  score?: number;
}

/** A passage the answer cited as [number] (or, for a "not found" answer, one of the closest sources shown). */
export interface CitedPassage extends PassageReference {
  number: number;
  title: string;
  uri: string;
}

/** One question and what was shown in reply. */
export interface AnswerContent {
  type: 'answer';
  /** `web`, `slack`, `teams`, `cli`, or `unknown` when the surface did not say. */
  platform: string;
  channelId?: string;
  threadId?: string;
  /** `shared` when everyone in the channel saw the answer. */
  visibility: 'private' | 'shared';
  asker: { id: string; principals: Principal[] };
  /** The question as asked, after redaction. */
  question: string;
  /** The query retrieval used (the question, or a follow-up rewritten to stand alone), after redaction. */
  query?: string;
  retrieved: PassageReference[];
  cited: CitedPassage[];
  /** `extractive` or the language model's id; absent when answering failed. */
  generator?: string;
  /** Version of the prompt the language model was given, when one wrote the answer. */
  promptVersion?: string;
  /** The answer text as shown, after redaction; absent when answering failed. */
  answer?: string;
  notFound: boolean;
  notice?: string;
  /** Set when no answer was shown because answering failed. */
  failure?: { code: string; message: string };
  /** Milliseconds from the question reaching the engine to the answer being ready (before recording). */
  latencyMs: number;
  redactions: RedactionCount[];
}

/** A rating an asker gave an answer. */
export interface FeedbackContent {
  type: 'feedback';
  /** The `id` of the answer record rated. */
  answerId: string;
  asker: { id: string; principals: Principal[] };
  rating: 'up' | 'down';
  comment?: string;
  /** Where the feedback was given (`web`, `slack`, `teams`), when the surface said. */
  platform?: string;
  redactions: RedactionCount[];
}

/** Something an administrator or auditor did: connector or model changes, exports, legal holds. */
export interface AdminContent {
  type: 'admin';
  /** Who did it, e.g. `cli:alice` or an admin API user. */
  actor: string;
  /** Dotted verb such as `audit.export`, `audit.hold`, `connector.create`, `model.change`. */
  action: string;
  details: Record<string, unknown>;
}

/** The log found and removed an incomplete last line left by a writer that stopped mid-write (a crash or kill). */
export interface RepairContent {
  type: 'repair';
  /** Segment file that ended with the incomplete line. */
  file: string;
  /** Byte offset where the incomplete line began (the file was truncated there). */
  offset: number;
  removedBytes: number;
  /** SHA-256 of the removed bytes, to match against a copy taken before the repair; never the bytes. */
  removedSha256: string;
  reason: string;
}

/** A record under legal hold: kept by retention until released. */
export interface LegalHold {
  recordId: string;
  sequence: number;
  reason: string;
  heldBy: string;
  heldAt: string;
}

/** Retention removed the oldest records: anchors the chain where the remaining records start. */
export interface RetentionContent {
  type: 'retention';
  actor: string;
  olderThanDays: number;
  /** Records written before this instant were eligible. */
  cutoff: string;
  /** Sequence numbers removed, inclusive (held records among them were kept, see `keptHeld`). */
  fromSequence: number;
  throughSequence: number;
  removedRecords: number;
  /** Hash of record `throughSequence`: the record after it names this as its previous hash. */
  lastRemovedHash: string;
  removedFiles: string[];
  /** Records under legal hold whose files were removed, preserved verbatim in held.jsonl: all of them, not only this run's. */
  keptHeld: { sequence: number; id: string; hash: string }[];
  /** Holds in force, carried forward so that removing old hold records never lifts a hold. */
  activeHolds: LegalHold[];
}

export type AuditContent = AnswerContent | FeedbackContent | AdminContent | RepairContent | RetentionContent;

export type AuditRecordType = AuditContent['type'];

/** Fields the log sets on every record when it writes it. */
export interface RecordEnvelope {
  /** 1 for the first record ever written, then +1 per record; never reused, also not after retention. */
  sequence: number;
  /** Random UUID: what answers, feedback and legal holds use to refer to a record. */
  id: string;
  /** When the record was written: ISO 8601, UTC. */
  time: string;
  /** `hash` of the record before this one; 64 zeros for the first record. */
  previousHash: string;
  /** SHA-256 (hex) of this record's canonical JSON without `hash`. */
  hash: string;
}

export type AuditRecord = AuditContent & RecordEnvelope;

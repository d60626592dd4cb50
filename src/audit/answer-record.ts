import type { Answer } from '../core/answer.js';
import type { Question } from '../core/answer-engine.js';
import type { AnswerContent, CitedPassage, PassageReference, RedactionKind } from './audit-record.js';
import { redactFields } from './redaction.js';

/** Where the question came from, for the record; an unnamed surface counts as a private conversation. */
function conversationOf(question: Question): Pick<AnswerContent, 'platform' | 'channelId' | 'threadId' | 'visibility'> {
  const conversation = question.conversation;
  const context: Pick<AnswerContent, 'platform' | 'channelId' | 'threadId' | 'visibility'> = { platform: conversation?.platform ?? 'unknown', visibility: conversation?.visibility ?? 'private' };
  if (conversation?.channelId) context.channelId = conversation.channelId;
  if (conversation?.threadId) context.threadId = conversation.threadId;
  return context;
}

function referenceOf(passage: NonNullable<Answer['retrieved']>[number]): PassageReference {
  const reference: PassageReference = { chunkId: passage.chunkId, documentId: passage.documentId, contentHash: passage.contentHash, score: passage.score };
  if (passage.modifiedAt) reference.modifiedAt = passage.modifiedAt;
  return reference;
}

/** The content of the record for an answer shown to the asker, with personal data removed. */
export function answerRecordContent(question: Question, answer: Answer, latencyMs: number, redact: readonly RedactionKind[]): AnswerContent {
  const retrieved = (answer.retrieved ?? []).map(referenceOf);
  const versions = new Map(retrieved.map((passage) => [passage.chunkId, passage]));
  const cited = answer.citations.map((citation): CitedPassage => {
    // Citations name the chunk; the document version comes from what retrieval returned for it.
    const version = versions.get(citation.chunkId);
    const passage: CitedPassage = { number: citation.number, chunkId: citation.chunkId, documentId: citation.documentId, title: citation.title, uri: citation.uri };
    if (version?.contentHash) passage.contentHash = version.contentHash;
    if (version?.modifiedAt) passage.modifiedAt = version.modifiedAt;
    return passage;
  });
  const { values, redactions } = redactFields({ question: question.text, query: answer.query, answer: answer.text }, redact);
  const content: AnswerContent = {
    type: 'answer',
    ...conversationOf(question),
    asker: { id: question.asker.id, principals: [...question.asker.principals] },
    question: values.question ?? '',
    retrieved,
    cited,
    generator: answer.generator,
    answer: values.answer ?? '',
    notFound: answer.notFound,
    latencyMs,
    redactions,
  };
  if (values.query !== undefined) content.query = values.query;
  if (answer.generation?.promptVersion) content.promptVersion = answer.generation.promptVersion;
  if (answer.notice) content.notice = answer.notice;
  return content;
}

/** The record of a question that got no answer because answering failed. */
export function failedAnswerRecordContent(question: Question, failure: { code: string; message: string }, latencyMs: number, redact: readonly RedactionKind[]): AnswerContent {
  const { values, redactions } = redactFields({ question: question.text }, redact);
  return {
    type: 'answer',
    ...conversationOf(question),
    asker: { id: question.asker.id, principals: [...question.asker.principals] },
    question: values.question ?? '',
    retrieved: [],
    cited: [],
    notFound: false,
    failure,
    latencyMs,
    redactions,
  };
}

import type { AnswerContent, CitedPassage, FeedbackContent, RecordEnvelope } from './audit-record.js';
import { readRecords } from './record-reader.js';
import { dayOf } from './segment-files.js';

/** What the feedback review selects. */
export interface FeedbackReviewOptions {
  /** Feedback given at or after this instant. */
  from?: Date;
  /** Feedback given at or before this instant. */
  to?: Date;
  rating?: 'up' | 'down';
  /** The newest this many are returned (all are counted). */
  limit: number;
}

/** The answer a rating was about, as it was shown. */
export interface ReviewedAnswer {
  id: string;
  time: string;
  platform: string;
  channelId?: string;
  visibility: AnswerContent['visibility'];
  askerId: string;
  question: string;
  answer?: string;
  notFound: boolean;
  generator?: string;
  cited: Pick<CitedPassage, 'number' | 'title' | 'uri' | 'documentId'>[];
  failure?: AnswerContent['failure'];
}

export interface ReviewedFeedback {
  id: string;
  sequence: number;
  time: string;
  rating: 'up' | 'down';
  comment?: string;
  platform?: string;
  askerId: string;
  answerId: string;
  /** Absent when the answer's record is no longer in the log (retention removed it). */
  answer?: ReviewedAnswer;
}

export interface FeedbackReview {
  /** Newest first. */
  items: ReviewedFeedback[];
  /** Every rating that matched, counted past the limit. */
  counts: { up: number; down: number };
}

const feedbackNeedle = Buffer.from('"type":"feedback"');
const answerNeedle = Buffer.from('"type":"answer"');

function reviewedAnswer(record: AnswerContent & RecordEnvelope): ReviewedAnswer {
  const reviewed: ReviewedAnswer = {
    id: record.id,
    time: record.time,
    platform: record.platform,
    visibility: record.visibility,
    askerId: record.asker.id,
    question: record.question,
    notFound: record.notFound,
    cited: record.cited.map(({ number, title, uri, documentId }) => ({ number, title, uri, documentId })),
  };
  if (record.channelId !== undefined) reviewed.channelId = record.channelId;
  if (record.answer !== undefined) reviewed.answer = record.answer;
  if (record.generator !== undefined) reviewed.generator = record.generator;
  if (record.failure !== undefined) reviewed.failure = record.failure;
  return reviewed;
}

function reviewedFeedback(record: FeedbackContent & RecordEnvelope): ReviewedFeedback {
  const reviewed: ReviewedFeedback = { id: record.id, sequence: record.sequence, time: record.time, rating: record.rating, askerId: record.asker.id, answerId: record.answerId };
  if (record.comment !== undefined) reviewed.comment = record.comment;
  if (record.platform !== undefined) reviewed.platform = record.platform;
  return reviewed;
}

/**
 * 👍 and 👎 with their comments, each beside the question and answer it rated, from the
 * audit log. Two passes that parse only what they need: the feedback records, then the
 * answer records they name (written before the feedback, so no later file is read).
 */
export async function reviewFeedback(directory: string, options: FeedbackReviewOptions): Promise<FeedbackReview> {
  const counts = { up: 0, down: 0 };
  const newest: ReviewedFeedback[] = [];
  const firstDay = options.from ? dayOf(options.from.toISOString()) : undefined;
  const lastDay = options.to ? dayOf(options.to.toISOString()) : undefined;
  const feedbackRead: Parameters<typeof readRecords>[1] = { prefilter: (line) => line.indexOf(feedbackNeedle) >= 0 };
  if (firstDay || lastDay) feedbackRead.includeSegment = (day) => (!firstDay || day >= firstDay) && (!lastDay || day <= lastDay);
  for await (const { record } of readRecords(directory, feedbackRead)) {
    if (record.type !== 'feedback') continue;
    const time = Date.parse(record.time);
    if ((options.from && time < options.from.getTime()) || (options.to && time > options.to.getTime())) continue;
    if (options.rating && record.rating !== options.rating) continue;
    counts[record.rating]++;
    newest.push(reviewedFeedback(record));
    if (newest.length > options.limit) newest.shift();
  }
  if (newest.length === 0) return { items: [], counts };

  const wanted = new Map(newest.map((item) => [item.answerId, Buffer.from(`"id":${JSON.stringify(item.answerId)}`)]));
  const lastFeedbackDay = dayOf(newest[newest.length - 1]!.time);
  const answers = new Map<string, ReviewedAnswer>();
  const answerRead: Parameters<typeof readRecords>[1] = {
    includeSegment: (day) => day <= lastFeedbackDay,
    prefilter: (line) => {
      if (line.indexOf(answerNeedle) < 0) return false;
      for (const needle of wanted.values()) if (line.indexOf(needle) >= 0) return true;
      return false;
    },
  };
  for await (const { record } of readRecords(directory, answerRead)) {
    if (record.type !== 'answer' || !wanted.has(record.id)) continue;
    answers.set(record.id, reviewedAnswer(record));
    wanted.delete(record.id);
    if (wanted.size === 0) break;
  }
  const items = newest.reverse().map((item) => {
    const answer = answers.get(item.answerId);
    return answer ? { ...item, answer } : item;
  });
  return { items, counts };
}

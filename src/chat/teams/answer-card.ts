import type { Answer, Citation } from '../../core/answer.js';
import { feedbackVerb, type FeedbackActionData } from './feedback-action.js';

/** The Adaptive Card media type Teams renders in a message attachment. */
export const adaptiveCardContentType = 'application/vnd.microsoft.card.adaptive';

export interface AnswerCardOptions {
  /**
   * Public address of the Docent server; sources without a web address of their own link
   * to its `/files/<document id>` route. Unset: those sources are listed without a link.
   */
  publicUrl?: string;
}

/** An Adaptive Card (schema 1.4, the first with `Action.Execute`), as plain JSON. */
export type AdaptiveCard = Record<string, unknown> & { type: 'AdaptiveCard'; version: string; body: Array<Record<string, unknown>> };

/** Teams refuses messages over about 28 KB; an answer is far shorter, but a runaway one must still arrive. */
const maximumAnswerCharacters = 8000;
const maximumTitleCharacters = 200;

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** Titles become link text: brackets would end the link early, and `*`/`_` would turn into emphasis. */
function linkText(title: string): string {
  return truncate(title.replace(/\s+/g, ' ').trim(), maximumTitleCharacters)
    .replace(/\[/g, '(')
    .replace(/\]/g, ')')
    .replace(/([*_`\\])/g, '\\$1');
}

/** Where a reader can open a source: its own web address, or the Docent server's file route. */
export function sourceLink(citation: Pick<Citation, 'uri' | 'documentId'>, publicUrl: string | undefined): string | undefined {
  if (/^https?:\/\//i.test(citation.uri)) return markdownSafeUrl(citation.uri);
  if (!publicUrl) return undefined;
  return markdownSafeUrl(`${publicUrl.replace(/\/+$/, '')}/files/${encodeURIComponent(citation.documentId)}`);
}

/** A URL in `[text](url)` must not contain a space or an unbalanced parenthesis. */
function markdownSafeUrl(url: string): string | undefined {
  try {
    return new URL(url).href.replace(/\(/g, '%28').replace(/\)/g, '%29');
  } catch {
    return undefined;
  }
}

function sourceLine(citation: Citation, publicUrl: string | undefined): string {
  const link = sourceLink(citation, publicUrl);
  const title = linkText(citation.title || citation.uri);
  const location = citation.locationLabel ? ` · ${linkText(citation.locationLabel)}` : '';
  return `${citation.number}. ${link ? `[${title}](${link})` : title}${location}`;
}

function feedbackAction(answerId: string, rating: 'up' | 'down'): Record<string, unknown> {
  const title = rating === 'up' ? '👍 Helpful' : '👎 Not helpful';
  const data: FeedbackActionData = { docentFeedback: rating, answerId };
  // Action.Execute arrives as an `adaptiveCard/action` invoke the bot answers in place;
  // clients without Universal Actions fall back to Action.Submit, a message with `value`.
  return { type: 'Action.Execute', title, verb: feedbackVerb, data, fallback: { type: 'Action.Submit', title, data } };
}

/**
 * The answer as Teams shows it: the text with its [n] markers, what the asker should know
 * about how it was made, the numbered sources with links, and 👍/👎 buttons that rate this
 * answer (only when it was recorded and so has an id to rate).
 */
export function answerCard(answer: Answer, options: AnswerCardOptions = {}): AdaptiveCard {
  const body: Array<Record<string, unknown>> = [{ type: 'TextBlock', text: truncate(answer.text, maximumAnswerCharacters), wrap: true }];
  if (answer.notice) body.push({ type: 'TextBlock', text: answer.notice, wrap: true, isSubtle: true, size: 'Small' });
  if (answer.citations.length > 0) {
    body.push({ type: 'TextBlock', text: answer.notFound ? 'Closest sources' : 'Sources', weight: 'Bolder', spacing: 'Medium' });
    for (const citation of answer.citations) {
      body.push({ type: 'TextBlock', text: sourceLine(citation, options.publicUrl), wrap: true, spacing: 'Small' });
    }
  }
  const card: AdaptiveCard = {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.4',
    body,
    msteams: { width: 'Full' },
  };
  if (answer.id) card.actions = [feedbackAction(answer.id, 'up'), feedbackAction(answer.id, 'down')];
  return card;
}

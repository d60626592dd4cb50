import type { types } from '@slack/bolt';
import type { Answer, Citation } from '../../core/answer.js';
import { answerActionsBlockId, feedbackDownActionId, feedbackUpActionId, shareActionId } from './action-ids.js';
import { escapeMrkdwn, mrkdwnLink, splitText, truncate } from './mrkdwn.js';

/** What Docent posts or edits: `text` is the notification and screen-reader fallback of `blocks`. */
export interface SlackMessageContent {
  text: string;
  blocks?: types.KnownBlock[];
}

export interface AnswerMessageOptions {
  /**
   * Public address of the Docent server; sources without a web address of their own link
   * to its `/files/<document id>` route. Unset: those sources are listed without a link.
   */
  publicUrl?: string;
  /** Adds 👍/👎 buttons; they appear only when the answer was recorded (has an id). */
  feedback: boolean;
  /** Adds a "Share with channel" button whose value finds this answer again. */
  shareValue?: string;
}

/** Block Kit caps a section's text at 3000 characters and a message at 50 blocks. */
const sectionLimit = 3000;
const maximumAnswerCharacters = 12_000;
const maximumSources = 10;
const excerptLimit = 200;
const titleLimit = 150;

/** Where a reader can open a source: its own web address, or the Docent server's file route (at the cited page). */
export function sourceLink(citation: Pick<Citation, 'uri' | 'documentId' | 'location'>, publicUrl: string | undefined): string | undefined {
  if (/^https?:\/\//i.test(citation.uri)) return citation.uri;
  if (!publicUrl) return undefined;
  const page = citation.location.page ? `#page=${citation.location.page}` : '';
  return `${publicUrl.replace(/\/+$/, '')}/files/${encodeURIComponent(citation.documentId)}${page}`;
}

function sourceBlock(citation: Citation, publicUrl: string | undefined): types.KnownBlock {
  const title = truncate((citation.title || citation.uri).replace(/\s+/g, ' ').trim(), titleLimit);
  const link = sourceLink(citation, publicUrl);
  const location = citation.locationLabel ? ` · ${escapeMrkdwn(citation.locationLabel)}` : '';
  const excerpt = citation.excerpt ? `\n${escapeMrkdwn(truncate(citation.excerpt.replace(/\s+/g, ' ').trim(), excerptLimit))}` : '';
  const heading = link ? mrkdwnLink(link, title) : `*${escapeMrkdwn(title)}*`;
  return { type: 'context', elements: [{ type: 'mrkdwn', text: `*[${citation.number}]* ${heading}${location}${excerpt}` }] };
}

function button(actionId: string, label: string, value: string, style?: 'primary'): types.Button {
  return { type: 'button', action_id: actionId, text: { type: 'plain_text', text: label, emoji: true }, value, ...(style ? { style } : {}) };
}

/**
 * The answer as Slack shows it: the text with its [n] markers, what the asker should know
 * about how it was made, the numbered sources with titles, locations and links, and the
 * buttons: 👍/👎 rating this answer, and "Share with channel" on a private answer.
 */
export function answerMessage(answer: Answer, options: AnswerMessageOptions): SlackMessageContent {
  const text = escapeMrkdwn(truncate(answer.text, maximumAnswerCharacters));
  const blocks: types.KnownBlock[] = splitText(text, sectionLimit).map((piece) => ({ type: 'section', text: { type: 'mrkdwn', text: piece } }));
  if (answer.notice) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: escapeMrkdwn(answer.notice) }] });
  const citations = answer.citations.slice(0, maximumSources);
  if (citations.length > 0) {
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: answer.notFound ? '*Closest sources*' : '*Sources*' }] });
    for (const citation of citations) blocks.push(sourceBlock(citation, options.publicUrl));
  }
  const buttons: types.Button[] = [];
  if (options.feedback && answer.id) buttons.push(button(feedbackUpActionId, '👍 Helpful', answer.id), button(feedbackDownActionId, '👎 Not helpful', answer.id));
  if (options.shareValue) buttons.push(button(shareActionId, 'Share with channel', options.shareValue, 'primary'));
  if (buttons.length > 0) blocks.push({ type: 'actions', block_id: answerActionsBlockId, elements: buttons });
  return { text: truncate(text, sectionLimit), blocks };
}

/** What a message shows while the answer is being written: the text so far. */
export function partialAnswerMessage(textSoFar: string): SlackMessageContent {
  return { text: `${escapeMrkdwn(truncate(textSoFar, maximumAnswerCharacters))} …` };
}

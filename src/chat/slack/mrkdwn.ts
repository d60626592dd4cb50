/**
 * Text Docent sends to Slack. Slack reads `&`, `<` and `>` as markup (links, mentions),
 * so document text must be escaped or a passage containing `<!channel>` would notify a
 * whole channel. Block Kit also caps the length of each text field.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link as Slack markup; the label is escaped and the URL made safe for `<url|label>`. */
export function mrkdwnLink(url: string, label: string): string {
  const safeUrl = url.replace(/[\s|<>]/g, (character) => encodeURIComponent(character));
  return `<${safeUrl}|${escapeMrkdwn(label).replace(/\|/g, '¦')}>`;
}

/** The text cut to at most `limit` characters, at a word boundary where there is one, marked with an ellipsis. */
export function truncate(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit - 1);
  const lastSpace = cut.lastIndexOf(' ');
  return `${lastSpace > limit * 0.6 ? cut.slice(0, lastSpace) : cut}…`;
}

/**
 * The text in pieces of at most `limit` characters, each ending at a paragraph, line or
 * sentence end where possible, so a long answer spreads over several section blocks.
 */
export function splitText(text: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const boundary = Math.max(window.lastIndexOf('\n\n'), window.lastIndexOf('\n'), window.lastIndexOf('. '), window.lastIndexOf(' '));
    // A forced cut must not split an escape such as `&amp;`.
    const openEntity = window.lastIndexOf('&') > window.lastIndexOf(';') && window.length - window.lastIndexOf('&') < 6 ? window.lastIndexOf('&') : limit;
    const end = boundary > limit / 2 ? boundary + 1 : openEntity;
    pieces.push(rest.slice(0, end).trimEnd());
    rest = rest.slice(end).trimStart();
  }
  if (rest.length > 0 || pieces.length === 0) pieces.push(rest);
  return pieces;
}

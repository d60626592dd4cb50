/**
 * The question a Slack message asks, as plain text. Slack sends message text in its
 * own markup: mentions as `<@U123>`, channels as `<#C123|name>`, links as
 * `<https://x|label>`, and `&`, `<`, `>` escaped. The answer engine searches documents
 * with the text, so the bot's own mention must go and the rest must read as typed.
 */
export function questionFromSlackText(text: string, botUserId: string | undefined): string {
  const withoutBot = botUserId ? text.replace(new RegExp(`<@${escapeRegExp(botUserId)}(?:\\|[^>]*)?>`, 'g'), ' ') : text;
  const readable = withoutBot.replace(/<([^<>]*)>/g, (_match, inner: string) => readableReference(inner));
  return decodeEntities(readable).replace(/\s+/g, ' ').trim();
}

/** Whether the text mentions the bot, i.e. Slack also sends an `app_mention` event for it. */
export function mentionsUser(text: string, userId: string | undefined): boolean {
  return userId !== undefined && new RegExp(`<@${escapeRegExp(userId)}(?:\\|[^>]*)?>`).test(text);
}

function readableReference(inner: string): string {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('@')) return label ? `@${label.replace(/^@/, '')}` : target;
  if (target.startsWith('#')) return label ? `#${label}` : target;
  if (target.startsWith('!subteam^')) return label ?? '@group';
  if (target.startsWith('!')) return label ?? `@${target.slice(1).split('^')[0]}`;
  if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
  return label ?? target;
}

function splitOnce(text: string, separator: string): [string, string | undefined] {
  const at = text.indexOf(separator);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

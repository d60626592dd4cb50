import type { Activity, Mention } from 'botbuilder';

const namedEntities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** Teams escapes a few characters in `text` as HTML entities (`&nbsp;` after a mention is common). */
function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const codePoint = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return Number.isFinite(codePoint) && codePoint > 0 && codePoint <= 0x10ffff ? String.fromCodePoint(codePoint) : entity;
    }
    return namedEntities[body.toLowerCase()] ?? entity;
  });
}

/**
 * The question a message asks, without the @mention that addressed it to the bot.
 *
 * In channels and group chats Teams delivers a message only when it mentions the bot, as
 * `<at>Docent</at> question` plus a `mention` entity naming the bot's id. Every mention of
 * the bot is removed (`TurnContext.removeRecipientMention` removes only the first); mentions of
 * other people keep their name, since "what does Ann's team own" needs it.
 */
export function questionText(activity: Partial<Activity>): string {
  let text = activity.text ?? '';
  const botId = activity.recipient?.id;
  // Filtered by hand: `TurnContext.getMentions` throws on an entity without a type.
  const mentions = (activity.entities ?? []).filter((entity) => typeof entity.type === 'string' && entity.type.toLowerCase() === 'mention') as unknown as Mention[];
  for (const mention of mentions) {
    if (botId && mention.mentioned?.id === botId && mention.text) text = text.split(mention.text).join(' ');
  }
  text = text.replace(/<at>([^<]*)<\/at>/gi, '$1');
  return decodeEntities(text).replace(/\s+/g, ' ').trim();
}

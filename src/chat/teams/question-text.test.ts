import { describe, expect, it } from 'vitest';
import { questionText } from './question-text.js';

const bot = { id: '28:bot-app-id', name: 'Docent' };
const mention = (id: string, name: string) => ({ type: 'mention', text: `<at>${name}</at>`, mentioned: { id, name } });

describe('questionText', () => {
  it('removes every mention of the bot and decodes the entities Teams puts around it', () => {
    const activity = { recipient: bot, text: '<at>Docent</at>&nbsp;How many days of leave? <at>Docent</at>', entities: [mention(bot.id, 'Docent')] };
    expect(questionText(activity)).toBe('How many days of leave?');
  });

  it('keeps the names of other people mentioned', () => {
    const activity = { recipient: bot, text: '<at>Docent</at> what does <at>Ann Lee</at>&#39;s team own &amp; run?', entities: [mention(bot.id, 'Docent'), mention('29:ann', 'Ann Lee')] };
    expect(questionText(activity)).toBe("what does Ann Lee's team own & run?");
  });

  it('leaves a personal chat message as it is, and survives entities without a type', () => {
    expect(questionText({ recipient: bot, text: '  Where is the  expense form?\n', entities: [{} as never] })).toBe('Where is the expense form?');
    expect(questionText({ recipient: bot })).toBe('');
  });

  it('does not turn unknown entities into text', () => {
    expect(questionText({ recipient: bot, text: 'a &unknown; b &#0; c' })).toBe('a &unknown; b &#0; c');
  });
});

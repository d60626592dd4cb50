import { describe, expect, it } from 'vitest';
import { mentionsUser, questionFromSlackText } from './question-text.js';

describe('questionFromSlackText', () => {
  it('removes the bot mention wherever it stands', () => {
    expect(questionFromSlackText('<@UBOT> how many days of leave?', 'UBOT')).toBe('how many days of leave?');
    expect(questionFromSlackText('how many days of leave, <@UBOT|docent>?', 'UBOT')).toBe('how many days of leave, ?');
  });

  it('turns Slack markup into what the person typed', () => {
    const text = '<@UBOT> does <@U42|ann> in <#C9|finance> follow <https://wiki.example/p?a=1&amp;b=2|the policy> for R&amp;D &lt;2024&gt;? mail <mailto:hr@example.com|hr@example.com> <!here>';
    expect(questionFromSlackText(text, 'UBOT')).toBe('does @ann in #finance follow the policy for R&D <2024>? mail hr@example.com @here');
  });

  it('keeps links without a label and mentions without a name', () => {
    expect(questionFromSlackText('see <https://intra.example/doc> and ask <@U42>', 'UBOT')).toBe('see https://intra.example/doc and ask @U42');
  });

  it('collapses whitespace and is empty for a bare mention', () => {
    expect(questionFromSlackText('  <@UBOT>  \n ', 'UBOT')).toBe('');
  });
});

describe('mentionsUser', () => {
  it('finds a mention with or without a label', () => {
    expect(mentionsUser('hi <@UBOT>', 'UBOT')).toBe(true);
    expect(mentionsUser('hi <@UBOT|docent>', 'UBOT')).toBe(true);
    expect(mentionsUser('hi <@UBOTTOM>', 'UBOT')).toBe(false);
    expect(mentionsUser('hi', undefined)).toBe(false);
  });
});

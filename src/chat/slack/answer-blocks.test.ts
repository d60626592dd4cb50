import { describe, expect, it } from 'vitest';
import type { Answer, Citation } from '../../core/answer.js';
import { answerMessage, partialAnswerMessage, sourceLink } from './answer-blocks.js';
import { splitText } from './mrkdwn.js';

const citation: Citation = {
  number: 1,
  documentId: 'folder:it/vpn guide.pdf',
  chunkId: 'folder:it/vpn guide.pdf#0',
  title: 'VPN <setup> & "access"',
  uri: 'it/vpn guide.pdf',
  location: { page: 2 },
  headingPath: [],
  locationLabel: 'page 2',
  excerpt: 'Install the client <!channel> first.',
};

function answer(overrides: Partial<Answer> = {}): Answer {
  return { question: 'q', notFound: false, text: 'Install the client [1].', sentences: [], citations: [citation], generator: 'extractive', elapsedMs: 1, ...overrides };
}

describe('answerMessage', () => {
  it('escapes what Slack would read as markup, in the answer, titles and excerpts', () => {
    const message = answerMessage(answer({ text: 'Use <!channel> & <@U1> [1].' }), { feedback: false });
    expect(message.text).toBe('Use &lt;!channel&gt; &amp; &lt;@U1&gt; [1].');
    expect(message.blocks).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Use &lt;!channel&gt; &amp; &lt;@U1&gt; [1].' } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '*Sources*' }] },
      { type: 'context', elements: [{ type: 'mrkdwn', text: '*[1]* *VPN &lt;setup&gt; &amp; "access"* · page 2\nInstall the client &lt;!channel&gt; first.' }] },
    ]);
  });

  it('links sources to their own address, or to the Docent server at the cited page', () => {
    expect(sourceLink(citation, 'https://docent.acme.example/')).toBe('https://docent.acme.example/files/folder%3Ait%2Fvpn%20guide.pdf#page=2');
    expect(sourceLink({ ...citation, uri: 'https://wiki.acme.example/VPN' }, 'https://docent.acme.example')).toBe('https://wiki.acme.example/VPN');
    expect(sourceLink(citation, undefined)).toBeUndefined();
    const message = answerMessage(answer({ citations: [{ ...citation, uri: 'https://wiki.acme.example/a|b c' }] }), { feedback: false });
    expect(JSON.stringify(message.blocks)).toContain('<https://wiki.acme.example/a%7Cb%20c|VPN &lt;setup&gt; &amp; \\"access\\">');
  });

  it('says "Closest sources" for a not-found answer, shows the notice, and offers feedback only for a recorded answer', () => {
    const notFound = answerMessage(answer({ notFound: true, text: 'I could not find this in the documents.', notice: 'No language model is configured.' }), { feedback: true });
    expect(notFound.blocks!.map((block) => block.type)).toEqual(['section', 'context', 'context', 'context']);
    expect(JSON.stringify(notFound.blocks)).toContain('*Closest sources*');
    expect(JSON.stringify(notFound.blocks)).toContain('No language model is configured.');
    expect(JSON.stringify(notFound.blocks)).not.toContain('docent_feedback');
    const recorded = answerMessage(answer({ id: 'ans_9' }), { feedback: true, shareValue: 'share-key' });
    expect(recorded.blocks!.at(-1)).toEqual({
      type: 'actions',
      block_id: 'docent_answer_actions',
      elements: [
        { type: 'button', action_id: 'docent_feedback_up', text: { type: 'plain_text', text: '👍 Helpful', emoji: true }, value: 'ans_9' },
        { type: 'button', action_id: 'docent_feedback_down', text: { type: 'plain_text', text: '👎 Not helpful', emoji: true }, value: 'ans_9' },
        { type: 'button', action_id: 'docent_share', text: { type: 'plain_text', text: 'Share with channel', emoji: true }, value: 'share-key', style: 'primary' },
      ],
    });
  });

  it('spreads a long answer over sections of at most 3000 characters and keeps the fallback text short', () => {
    const long = Array.from({ length: 300 }, (_, index) => `Sentence number ${index} is here [1].`).join(' ');
    const message = answerMessage(answer({ text: long }), { feedback: false });
    const sections = message.blocks!.filter((block) => block.type === 'section') as Array<{ text: { text: string } }>;
    expect(sections.length).toBe(4);
    expect(sections.every((section) => section.text.text.length <= 3000)).toBe(true);
    expect(sections.map((section) => section.text.text).join(' ')).toBe(long);
    expect(message.text.length).toBeLessThanOrEqual(3000);
  });

  it('shows streaming text escaped, with an ellipsis', () => {
    expect(partialAnswerMessage('a < b')).toEqual({ text: 'a &lt; b …' });
  });
});

describe('splitText', () => {
  it('never cuts an escape in two', () => {
    const pieces = splitText(`${'x'.repeat(8)}&amp;${'y'.repeat(8)}`, 10);
    expect(pieces.every((piece) => !/&[a-z]*$/.test(piece))).toBe(true);
    expect(pieces.join('')).toBe(`${'x'.repeat(8)}&amp;${'y'.repeat(8)}`);
  });
});

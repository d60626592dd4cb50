import { describe, expect, it } from 'vitest';
import type { Answer, Citation } from '../../core/answer.js';
import { answerCard, sourceLink } from './answer-card.js';

const citation = (number: number, overrides: Partial<Citation> = {}): Citation => ({
  number,
  documentId: `folder:docs/${number}.md`,
  chunkId: `folder:docs/${number}.md#0`,
  title: `Document ${number}`,
  uri: `docs/${number}.md`,
  location: {},
  headingPath: [],
  locationLabel: '',
  excerpt: '',
  ...overrides,
});

const answer = (overrides: Partial<Answer> = {}): Answer => ({ question: 'q', notFound: false, text: 'An answer [1].', sentences: [], citations: [citation(1)], generator: 'extractive', elapsedMs: 1, ...overrides });

describe('answerCard', () => {
  it('lists the closest sources under their own heading when nothing was found, and offers no feedback without an id', () => {
    const card = answerCard(answer({ notFound: true, text: 'I could not find this.' }));
    expect(card.body.map((element) => element.text)).toEqual(['I could not find this.', 'Closest sources', '1. Document 1']);
    expect(card.actions).toBeUndefined();
  });

  it('keeps titles from breaking the link markup', () => {
    const card = answerCard(answer({ citations: [citation(1, { title: 'Pay [draft] *final*', uri: 'https://wiki.example.com/Pay (draft)' })] }));
    expect(card.body[2]!.text).toBe('1. [Pay (draft) \\*final\\*](https://wiki.example.com/Pay%20%28draft%29)');
  });

  it('cuts a runaway answer so the message stays within what Teams accepts', () => {
    const text = answerCard(answer({ text: 'x'.repeat(20_000) })).body[0]!.text as string;
    expect(text.length).toBe(8000);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('sourceLink', () => {
  it('links web addresses as they are, files through the public URL, and nothing else', () => {
    expect(sourceLink({ uri: 'https://wiki.example.com/a', documentId: 'x' }, undefined)).toBe('https://wiki.example.com/a');
    expect(sourceLink({ uri: '/srv/docs/a b.pdf', documentId: 'folder:/srv/docs/a b.pdf' }, 'https://docent.example.com/')).toBe('https://docent.example.com/files/folder%3A%2Fsrv%2Fdocs%2Fa%20b.pdf');
    expect(sourceLink({ uri: '/srv/docs/a.pdf', documentId: 'folder:/srv/docs/a.pdf' }, undefined)).toBeUndefined();
    expect(sourceLink({ uri: 'file:///srv/docs/a.pdf', documentId: 'x' }, undefined)).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { checkCitations } from './citation-check.js';

describe('checkCitations', () => {
  it('keeps citations to given sources and renumbers them in order of first use', () => {
    const checked = checkCitations('Leave is 25 days [3]. It is requested in the HR portal [1]. Unused days carry over [3].', 4);
    expect(checked.text).toBe('Leave is 25 days [1]. It is requested in the HR portal [2]. Unused days carry over [1].');
    expect(checked.cited).toEqual([3, 1]);
    expect(checked.invalid).toEqual([]);
    expect(checked.sentences).toEqual([
      { text: 'Leave is 25 days.', citations: [1] },
      { text: 'It is requested in the HR portal.', citations: [2] },
      { text: 'Unused days carry over.', citations: [1] },
    ]);
  });

  it('removes citations to sources that were never given', () => {
    const checked = checkCitations('Leave is 25 days [7]. Requests go to HR [2][9].', 3);
    expect(checked.text).toBe('Leave is 25 days. Requests go to HR [1].');
    expect(checked.cited).toEqual([2]);
    expect(checked.invalid).toEqual([7, 9]);
    expect(checked.sentences[0]).toEqual({ text: 'Leave is 25 days.', citations: [] });
  });

  it('reads lists, ranges and "source" inside brackets', () => {
    expect(checkCitations('A [1, 2]. B [source 3]. C [2-4]. D [1; 5].', 4).text).toBe('A [1][2]. B [3]. C [2][3][4]. D [1].');
  });

  it('gives a citation written after the full stop to the sentence before', () => {
    const checked = checkCitations('Leave is 25 days. [2] Ask HR.', 2);
    expect(checked.sentences).toEqual([
      { text: 'Leave is 25 days.', citations: [1] },
      { text: 'Ask HR.', citations: [] },
    ]);
  });

  it('finds no citation in an answer without any', () => {
    expect(checkCitations('I could not find this in the indexed documents.', 3).cited).toEqual([]);
  });

  it('leaves bracketed text that is not a citation alone', () => {
    expect(checkCitations('Use the form [HR-12] first [1].', 1).text).toBe('Use the form [HR-12] first [1].');
  });
});

import { describe, expect, it } from 'vitest';
import { cleanCode, cleanIndentedLines, cleanInlineText, cleanLines, removeControlCharacters, splitParagraphs } from './clean-text.js';

describe('clean-text', () => {
  it('removes control and invisible characters but keeps line breaks and tabs', () => {
    expect(removeControlCharacters('a\u0000b\u0007c\u200Bd\uFEFFe\u00ADf\r\ng\u2028h\ti')).toBe('abcdef\ng\nh\ti');
  });

  it('composes decomposed characters, as macOS file systems store Korean', () => {
    const decomposed = '\u1112\u1161\u11AB'; // 한 as jamo
    expect(removeControlCharacters(decomposed)).toBe('한');
  });

  it('collapses all whitespace of inline text to single spaces', () => {
    expect(cleanInlineText('  Quarterly\u00A0 results\n\n for\u3000 2024 \t ')).toBe('Quarterly results for 2024');
  });

  it('keeps lines but collapses spaces within them', () => {
    expect(cleanLines('| a  |   b |\n\n\n|  c | d |  ')).toBe('| a | b |\n| c | d |');
  });

  it('keeps list indentation', () => {
    expect(cleanIndentedLines('- top\n  - nested   item\n\n')).toBe('- top\n  - nested item');
  });

  it('keeps code indentation and inner spacing, trimming only trailing spaces and blank edges', () => {
    expect(cleanCode('\n\nfunction f() {\n\treturn  1;   \n}\n\n')).toBe('function f() {\n    return  1;\n}');
  });

  it('splits paragraphs at blank lines, including lines holding only spaces', () => {
    expect(splitParagraphs('First line\nstill first\n\nSecond\n   \nThird\n\n\n')).toEqual(['First line\nstill first', 'Second', 'Third']);
  });
});

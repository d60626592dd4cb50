/**
 * Text clean-up shared by every parser, so that blocks look the same whatever format they
 * came from: chunking, embedding and full-text search all work on these strings, and stray
 * control characters or runs of spaces cost tokens and break phrase matching.
 */

// C0 and C1 control characters other than tab, line feed and carriage return, plus
// DEL, the replacement character left by broken decoding, and invisible characters that
// editors leave behind (zero-width space, word joiner, byte order mark, soft hyphen).
// Zero-width (non-)joiners are kept: Persian and Indic scripts and emoji need them.
const invisibleCharacters = /[\u0000-\u0008\u000B\u000E-\u001F\u007F-\u009F\u00AD\u200B\u2060\uFEFF\uFFFD\uFFFE\uFFFF]/g;

// Every horizontal space Unicode knows, including no-break and ideographic spaces.
const horizontalSpaces = /[\t\f\v \u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;

const lineBreaks = /\r\n?|[\u2028\u2029\u0085]/g;

/** Removes invisible and control characters and composes characters (NFC), keeping line breaks. */
export function removeControlCharacters(text: string): string {
  // Line separators first: U+0085 is a C1 control and would otherwise be deleted outright,
  // and Word writes manual line breaks as vertical tabs.
  return text.replace(lineBreaks, '\n').replace(/[\f\v]/g, '\n').replace(invisibleCharacters, '').normalize('NFC');
}

/**
 * Cleans text that reads as one run of prose (a heading, a paragraph, a list item, a
 * table cell): every run of whitespace, line breaks included, becomes one space.
 */
export function cleanInlineText(text: string): string {
  return removeControlCharacters(text).replace(/\s+/g, ' ').trim();
}

/**
 * Cleans text whose line structure carries meaning (a table rendered as lines, a list):
 * spaces collapse within each line, empty lines go, line breaks stay.
 */
export function cleanLines(text: string): string {
  return removeControlCharacters(text)
    .split('\n')
    .map((line) => line.replace(horizontalSpaces, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}

/**
 * Cleans list text: like {@link cleanLines}, but the leading spaces that mark nesting depth
 * survive.
 */
export function cleanIndentedLines(text: string): string {
  return removeControlCharacters(text)
    .split('\n')
    .map((line) => {
      const indentation = /^ */.exec(line)?.[0] ?? '';
      return indentation + line.slice(indentation.length).replace(horizontalSpaces, ' ').trim();
    })
    .filter((line) => line.trim() !== '')
    .join('\n');
}

/**
 * Cleans source code and preformatted text: indentation and inner spacing are meaning
 * there, so only control characters, trailing spaces and surrounding blank lines go.
 * Tabs become spaces (four columns) so that the same code always has the same text.
 */
export function cleanCode(text: string): string {
  const lines = removeControlCharacters(text.replace(/\t/g, '    '))
    .split('\n')
    .map((line) => line.replace(/[ \u00A0]+$/, ''));
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  return lines.join('\n');
}

/**
 * Splits text into paragraphs at blank lines and cleans each one; the way plain text,
 * e-mail bodies and PDF pages mark paragraph boundaries.
 */
export function splitParagraphs(text: string): string[] {
  return removeControlCharacters(text)
    .split(/\n[ \t\u00A0\u3000]*\n/)
    .map((paragraph) => paragraph.trim())
    .filter((paragraph) => paragraph !== '');
}

export interface TextSpan {
  text: string;
  /** Offset of the span's first character within the text it was cut from. */
  start: number;
  end: number;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'sentence' });

/**
 * Splits text into sentences with their offsets, using the ICU rules Node ships with
 * (they handle Korean, Japanese and Chinese punctuation too). Surrounding whitespace is
 * trimmed from each span; empty spans are dropped.
 */
export function splitSentences(text: string): TextSpan[] {
  const spans: TextSpan[] = [];
  for (const segment of segmenter.segment(text)) {
    const leading = segment.segment.length - segment.segment.trimStart().length;
    const trimmed = segment.segment.trim();
    if (!trimmed) continue;
    const start = segment.index + leading;
    spans.push({ text: trimmed, start, end: start + trimmed.length });
  }
  return spans;
}

/**
 * Prepares text for LanceDB's full-text index. The index tokenizes on whitespace and
 * punctuation and stems English; that suits English and other space-separated languages
 * but not Korean, Chinese or Japanese, where one "word" glues a stem to particles
 * (휴가를, 휴가는) or has no spaces at all. For those scripts we index overlapping
 * character bigrams instead (the CJK bigram approach of Lucene's CJKAnalyzer), which
 * matches 휴가 inside 휴가를 without any dictionary. Queries go through the same function,
 * so both sides agree.
 */
const cjkRun = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;

export function toLexicalText(text: string): string {
  return text.replace(cjkRun, (run) => {
    const characters = [...run];
    if (characters.length < 2) return ` ${run} `;
    const bigrams: string[] = [];
    for (let index = 0; index + 1 < characters.length; index++) bigrams.push(characters[index]! + characters[index + 1]!);
    return ` ${bigrams.join(' ')} `;
  });
}

/**
 * Turns a user's question into a full-text query string. LanceDB parses query strings
 * with a query syntax where characters such as `:`, `"`, `(`, `-` and `AND` mean
 * something; a question must never be able to change the query's meaning or make it
 * fail, so only word characters survive and every term is searched on its own (OR).
 */
export function toLexicalQuery(question: string): string {
  const lexical = toLexicalText(question.normalize('NFKC'));
  const terms = lexical.match(/[\p{L}\p{N}]+/gu) ?? [];
  return terms
    .map((term) => term.toLowerCase())
    .filter((term) => term !== 'and' && term !== 'or' && term !== 'not')
    .join(' ');
}

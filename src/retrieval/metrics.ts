/** Graded relevance judgements for one query: document id to relevance (> 0 is relevant). */
export type Judgements = Map<string, number>;

/** nDCG@k with the standard (2^rel − 1) / log2(rank + 1) gain, as trec_eval and BEIR compute it. */
export function ndcgAt(ranking: string[], judgements: Judgements, k: number): number {
  let dcg = 0;
  ranking.slice(0, k).forEach((documentId, position) => {
    const relevance = judgements.get(documentId) ?? 0;
    if (relevance > 0) dcg += (2 ** relevance - 1) / Math.log2(position + 2);
  });
  const ideal = [...judgements.values()].filter((relevance) => relevance > 0).sort((a, b) => b - a).slice(0, k);
  const idealDcg = ideal.reduce((sum, relevance, position) => sum + (2 ** relevance - 1) / Math.log2(position + 2), 0);
  return idealDcg > 0 ? dcg / idealDcg : 0;
}

/** Share of the relevant documents found in the first k. */
export function recallAt(ranking: string[], judgements: Judgements, k: number): number {
  const relevant = [...judgements.entries()].filter(([, relevance]) => relevance > 0).map(([documentId]) => documentId);
  if (relevant.length === 0) return 0;
  const top = new Set(ranking.slice(0, k));
  return relevant.filter((documentId) => top.has(documentId)).length / relevant.length;
}

/** Reciprocal rank of the first relevant document, 0 when none is ranked. */
export function reciprocalRank(ranking: string[], judgements: Judgements): number {
  const position = ranking.findIndex((documentId) => (judgements.get(documentId) ?? 0) > 0);
  return position < 0 ? 0 : 1 / (position + 1);
}

/** Collapses a chunk ranking into a document ranking: a document ranks where its best chunk does. */
export function documentRanking(chunkDocumentIds: string[]): string[] {
  return [...new Set(chunkDocumentIds)];
}

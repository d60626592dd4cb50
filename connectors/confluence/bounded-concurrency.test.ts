import { describe, expect, it } from 'vitest';
import { mapConcurrently } from './bounded-concurrency.js';

describe('mapConcurrently', () => {
  it('never runs more than the limit at once and returns every result', async () => {
    let running = 0;
    let most = 0;
    const results: number[] = [];
    for await (const result of mapConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (value) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, value % 3));
      running--;
      return value * 10;
    })) {
      results.push(result);
    }
    expect(results.sort((a, b) => a - b)).toEqual([10, 20, 30, 40, 50, 60, 70]);
    expect(most).toBe(3);
  });

  it('pulls inputs only as slots free up', async () => {
    const pulled: number[] = [];
    async function* inputs() {
      for (let value = 1; value <= 5; value++) {
        pulled.push(value);
        yield value;
      }
    }
    const walk = mapConcurrently(inputs(), 2, async (value) => value);
    await walk.next();
    expect(pulled).toEqual([1, 2]);
    await walk.return(undefined);
  });

  it('ends with the error of failed work', async () => {
    const walk = async () => {
      for await (const _ of mapConcurrently([1, 2], 2, async (value) => {
        if (value === 2) throw new Error('boom');
        return value;
      }));
    };
    await expect(walk()).rejects.toThrow('boom');
  });
});

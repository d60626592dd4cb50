import { describe, expect, it } from 'vitest';
import { averageUnitVector, splitIntoWindows } from './text-windows.js';

describe('splitIntoWindows', () => {
  it('collapses whitespace and cuts text into word windows', () => {
    const text = Array.from({ length: 25 }, (_, index) => `w${index}`).join('  \n ');
    const windows = splitIntoWindows(text, 10, 5);
    expect(windows).toHaveLength(3);
    expect(windows[0]).toBe('w0 w1 w2 w3 w4 w5 w6 w7 w8 w9');
    expect(windows[2]).toBe('w20 w21 w22 w23 w24');
  });

  it('stops at the maximum number of windows and shortens very long words', () => {
    const windows = splitIntoWindows(`${'x'.repeat(100)} ${'word '.repeat(50)}`, 10, 2);
    expect(windows).toHaveLength(2);
    expect(windows[0]!.split(' ')[0]).toHaveLength(40);
  });

  it('gives one empty window for empty text so every input still gets a vector', () => {
    expect(splitIntoWindows('   ', 10, 3)).toEqual(['']);
  });
});

describe('averageUnitVector', () => {
  it('returns the unit-length mean', () => {
    const mean = averageUnitVector([Float32Array.from([1, 0]), Float32Array.from([0, 1])]);
    expect(mean[0]).toBeCloseTo(Math.SQRT1_2);
    expect(mean[1]).toBeCloseTo(Math.SQRT1_2);
  });
});

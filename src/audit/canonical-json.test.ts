import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts members at every depth and drops undefined ones', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: undefined } })).toBe('{"a":{"d":[3,{"y":null,"z":true}]},"b":1}');
  });

  it('gives the same text for the same content whatever the insertion order', () => {
    expect(canonicalJson({ question: '연차', asker: { id: 'u', principals: ['everyone'] } })).toBe(
      canonicalJson({ asker: { principals: ['everyone'], id: 'u' }, question: '연차' }),
    );
  });

  it('orders keys by UTF-16 code units and escapes as JSON does', () => {
    expect(canonicalJson({ é: 1, Z: 2, a: 3, '\u2028': 'line\nbreak "quoted"' })).toBe('{"Z":2,"a":3,"é":1,"\u2028":"line\\nbreak \\"quoted\\""}');
  });

  it('orders keys that look like array indexes as text too, like every other key', () => {
    expect(canonicalJson({ details: { '10': 'a', '9': 'b', x: [{ '2': 1, '10': 2 }] } })).toBe('{"details":{"10":"a","9":"b","x":[{"10":2,"2":1}]}}');
  });

  it('refuses values JSON cannot represent faithfully', () => {
    expect(() => canonicalJson({ latency: Number.NaN })).toThrow(/no form/);
    expect(() => canonicalJson({ when: () => 1 })).toThrow(/no form/);
    expect(() => canonicalJson({ '1': 1, latency: Number.POSITIVE_INFINITY })).toThrow(/no form/);
  });
});

/**
 * Canonical JSON: object members sorted by key (UTF-16 code units, as RFC 8785 orders
 * them), no whitespace, members whose value is `undefined` left out. Two writers that
 * hold the same record produce the same bytes, so a hash over them means the content,
 * not one program's formatting; any JSON library can reproduce it (for the values audit
 * records hold: strings, finite numbers, booleans, null, arrays and plain objects).
 */
export function canonicalJson(value: unknown): string {
  // Fast path: JSON.stringify keeps insertion order, so a copy with sorted keys prints canonically,
  // except where a key looks like an array index (engines list those first, in numeric order).
  const sorted = sortedCopy(value);
  return sorted === indexKey ? canonicalJsonSlowly(value) : JSON.stringify(sorted);
}

const indexKey = Symbol('an array-index key');
const arrayIndexPattern = /^(?:0|[1-9]\d*)$/;

function sortedCopy(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
    return value;
  }
  if (typeof value !== 'object') throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    for (const item of value) {
      const sorted = item === undefined ? null : sortedCopy(item);
      if (sorted === indexKey) return indexKey;
      copy.push(sorted);
    }
    return copy;
  }
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    const member = record[key];
    if (member === undefined) continue;
    if (arrayIndexPattern.test(key)) return indexKey;
    const sorted = sortedCopy(member);
    if (sorted === indexKey) return indexKey;
    copy[key] = sorted;
  }
  return copy;
}

function canonicalJsonSlowly(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`canonical JSON has no form for ${value}`);
      return JSON.stringify(value);
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((item) => (item === undefined ? 'null' : canonicalJsonSlowly(item))).join(',')}]`;
      const record = value as Record<string, unknown>;
      const members: string[] = [];
      for (const key of Object.keys(record).sort()) {
        const member = record[key];
        if (member !== undefined) members.push(`${JSON.stringify(key)}:${canonicalJsonSlowly(member)}`);
      }
      return `{${members.join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON has no form for a ${typeof value}`);
  }
}

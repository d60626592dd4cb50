import { describe, expect, it } from 'vitest';
import type { AdminContent } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';
import { checkLine, genesisHash, sealRecord, sha256Hex } from './record-chain.js';

const content: AdminContent = { type: 'admin', actor: 'cli:alice', action: 'model.change', details: { from: 'a.gguf', to: 'b.gguf' } };
const envelope = { sequence: 1, id: '6f1c2f4e-0000-4000-8000-000000000001', time: '2026-11-25T10:00:00.000Z', previousHash: genesisHash };

describe('sealRecord and checkLine', () => {
  it('hashes the canonical JSON of the record without its hash, so any JSON tool can recompute it', () => {
    const { record, line } = sealRecord(content, envelope);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    const { hash, ...rest } = parsed;
    expect(hash).toBe(record.hash);
    expect(sha256Hex(canonicalJson(rest))).toBe(hash);
    expect(line.endsWith(`,"hash":"${record.hash}"}`)).toBe(true);
  });

  it('accepts an untouched line', () => {
    const { line, record } = sealRecord(content, envelope);
    const check = checkLine(Buffer.from(line));
    expect(check).toEqual({ ok: true, record });
  });

  it('links each record to the one before it', () => {
    const first = sealRecord(content, envelope);
    const second = sealRecord(content, { ...envelope, sequence: 2, id: 'b', previousHash: first.record.hash });
    expect(second.record.previousHash).toBe(first.record.hash);
    expect(second.record.hash).not.toBe(first.record.hash);
  });

  it('rejects a line whose content was changed, even by one character', () => {
    const { line } = sealRecord(content, envelope);
    const check = checkLine(Buffer.from(line.replace('b.gguf', 'c.gguf')));
    expect(check.ok).toBe(false);
    expect(check.ok ? '' : check.problem).toMatch(/changed after it was written/);
  });

  it('rejects a reformatted line: the bytes are what is hashed', () => {
    const { line } = sealRecord(content, envelope);
    const check = checkLine(Buffer.from(JSON.stringify(JSON.parse(line), null, 1).replace(/\n/g, '')));
    expect(check.ok).toBe(false);
  });

  it('rejects lines that are not records', () => {
    expect(checkLine(Buffer.from('{"sequence":1'))).toMatchObject({ ok: false, problem: 'is not valid JSON' });
    expect(checkLine(Buffer.from('[1,2]'))).toMatchObject({ ok: false, problem: 'is not a JSON object' });
    expect(checkLine(Buffer.from('{"sequence":1}'))).toMatchObject({ ok: false, problem: 'does not end with its hash' });
  });

  it('keeps the envelope when content carries the same field names', () => {
    const sneaky = { ...content, sequence: 99, previousHash: 'x' } as unknown as AdminContent;
    expect(sealRecord(sneaky, envelope).record).toMatchObject({ sequence: 1, previousHash: genesisHash });
  });
});

import { createHash } from 'node:crypto';
import type { AuditContent, AuditRecord, RecordEnvelope } from './audit-record.js';
import { canonicalJson } from './canonical-json.js';

/**
 * The hash chain. A stored line is the record's canonical JSON without `hash`, with
 * `"hash":"<sha256 of those bytes>"` appended as the last member. Each record names the
 * previous record's hash, so changing, inserting, removing or reordering any record
 * breaks the link at that record; an outside tool can check a line by parsing it,
 * dropping `hash` and hashing the canonical JSON of the rest.
 */

export const genesisHash = '0'.repeat(64);

const hashMemberLength = ',"hash":"'.length + 64 + '"}'.length;
const hashMemberPattern = /^,"hash":"([0-9a-f]{64})"\}$/;

export interface SealedRecord {
  record: AuditRecord;
  /** The line to store, without its newline. */
  line: string;
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

export function sealRecord(content: AuditContent, envelope: Omit<RecordEnvelope, 'hash'>): SealedRecord {
  // Envelope last: content can never overwrite the fields the chain depends on.
  const unsealed = { ...content, ...envelope };
  const body = canonicalJson(unsealed);
  const hash = sha256Hex(body);
  return { record: { ...unsealed, hash } as AuditRecord, line: `${body.slice(0, -1)},"hash":"${hash}"}` };
}

export type LineCheck =
  | { ok: true; record: AuditRecord }
  /** `record` is the parsed content when the line is JSON at all, to name the record in reports. */
  | { ok: false; problem: string; record?: Partial<AuditRecord> };

/** Checks one stored line (without its newline) against its own hash; says nothing about its place in the chain. */
export function checkLine(line: Buffer): LineCheck {
  const text = line.toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'is not valid JSON' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'is not a JSON object' };
  const record = parsed as Partial<AuditRecord>;
  const hashMember = hashMemberPattern.exec(text.slice(-hashMemberLength));
  if (!hashMember || text.length <= hashMemberLength) return { ok: false, problem: 'does not end with its hash', record };
  if (typeof record.sequence !== 'number' || typeof record.previousHash !== 'string' || typeof record.time !== 'string' || typeof record.id !== 'string') {
    return { ok: false, problem: 'lacks sequence, id, time or previousHash', record };
  }
  // Hash the stored bytes of everything before the hash member: what the writer hashed.
  const bodyLength = line.length - hashMemberLength;
  const computed = createHash('sha256').update(line.subarray(0, bodyLength)).update('}').digest('hex');
  if (computed !== hashMember[1]) return { ok: false, problem: 'was changed after it was written (its content does not match its hash)', record };
  return { ok: true, record: record as AuditRecord };
}

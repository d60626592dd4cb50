import { access } from 'node:fs/promises';
import type { AuditRecord, RetentionContent } from './audit-record.js';
import { auditPaths } from './audit-paths.js';
import { readHead } from './head-marker.js';
import { readStoredLines } from './read-lines.js';
import { checkLine, genesisHash } from './record-chain.js';
import { readAnchor } from './retention-anchor.js';
import { dayOf, listSegments } from './segment-files.js';

/** The first record (or file) found wrong: what `verify` names. */
export interface VerifyProblem {
  /** Sequence number of the bad record, or of the record that should be there. */
  sequence?: number;
  /** Segment file name, `held.jsonl`, `head.json` or `anchor.json`. */
  file: string;
  /** 1-based line in `file`. */
  line?: number;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Records whose hash and place in the chain were checked. */
  records: number;
  files: number;
  firstSequence?: number;
  lastSequence?: number;
  /** Hash of the last record: noting it elsewhere (a ticket, an e-mail) lets a later verify prove nothing was rewritten since. */
  lastHash?: string;
  problem?: VerifyProblem;
  /** Conditions that are not tampering but deserve attention, e.g. a torn last line awaiting repair. */
  warnings: string[];
  elapsedMs: number;
}

class Tampered extends Error {
  constructor(readonly problem: VerifyProblem) {
    super(problem.message);
  }
}

function where(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file} line ${line}`;
}

/**
 * Checks the whole log: every line against its own hash, every record against the one
 * before it (sequence and previous hash), the start against the retention anchor, the
 * end against the head marker, and legal-hold copies against the latest retention
 * record. Stops at the first bad record and names it: sequence number, file and line.
 */
export async function verifyLog(directory: string): Promise<VerifyReport> {
  const started = performance.now();
  const paths = auditPaths(directory);
  const warnings: string[] = [];
  let records = 0;
  let files = 0;
  let firstSequence: number | undefined;
  let lastSequence: number | undefined;
  let lastHash: string | undefined;
  const finish = (problem?: VerifyProblem): VerifyReport => {
    const report: VerifyReport = { ok: !problem, records, files, warnings, elapsedMs: Math.round(performance.now() - started) };
    if (firstSequence !== undefined) report.firstSequence = firstSequence;
    if (lastSequence !== undefined) report.lastSequence = lastSequence;
    if (lastHash !== undefined) report.lastHash = lastHash;
    if (problem) report.problem = problem;
    return report;
  };

  try {
    const anchor = await readAnchor(paths.anchor);
    if (anchor === 'unreadable') throw new Tampered({ file: 'anchor.json', message: 'anchor.json is not a retention anchor' });
    const head = await readHead(paths.head);
    if (head === 'unreadable') warnings.push('head.json is unreadable (a power cut can do this): records cut from the end of the log could not be checked');

    // Legal-hold copies: each must still match its own hash; which ones belong there is checked against retention below.
    const held = new Map<number, { hash: string; line: number }>();
    if (await exists(paths.held)) {
      files++;
      for await (const stored of readStoredLines(paths.held)) {
        if (!stored.complete) throw new Tampered({ file: 'held.jsonl', line: stored.lineNumber, message: 'held.jsonl ends with an incomplete line' });
        const check = checkLine(stored.bytes);
        if (!check.ok) throw new Tampered({ ...(typeof check.record?.sequence === 'number' ? { sequence: check.record.sequence } : {}), file: 'held.jsonl', line: stored.lineNumber, message: `the held record at held.jsonl line ${stored.lineNumber} ${check.problem}` });
        held.set(check.record.sequence, { hash: check.record.hash, line: stored.lineNumber });
        records++;
      }
    }

    const { segments, strangers } = await listSegments(directory);
    for (const name of strangers) warnings.push(`segments/${name} is not a segment file and was not checked`);
    let expectedSequence: number | undefined;
    let previousHash: string | undefined;
    let latestRetention: (RetentionContent & AuditRecord) | undefined;
    let anchorRecord: AuditRecord | undefined;
    let headRecordHash: string | undefined;
    let lastPlace: { file: string; line: number } | undefined;

    for (const [index, segment] of segments.entries()) {
      files++;
      const isLastFile = index === segments.length - 1;
      let firstInFile = true;
      for await (const stored of readStoredLines(segment.path)) {
        const place = where(segment.name, stored.lineNumber);
        if (!stored.complete) {
          if (isLastFile) {
            warnings.push(`${place}: an incomplete last line (${stored.bytes.length} bytes), not a record: a write in progress, or a crash the next append will repair (cut off and recorded)`);
            break;
          }
          throw new Tampered({ sequence: expectedSequence, file: segment.name, line: stored.lineNumber, message: `${place} is an incomplete line at the end of a file that is not the last` });
        }
        const check = checkLine(stored.bytes);
        if (!check.ok) {
          const sequence = typeof check.record?.sequence === 'number' ? check.record.sequence : expectedSequence;
          throw new Tampered({ sequence, file: segment.name, line: stored.lineNumber, message: `record ${sequence ?? '?'} (${place}) ${check.problem}` });
        }
        const record = check.record;
        const name = `record ${record.sequence} (${place})`;
        const previousPlace = lastPlace ? where(lastPlace.file, lastPlace.line) : 'removed by retention';
        if (firstInFile && record.sequence !== segment.firstSequence) {
          throw new Tampered({ sequence: record.sequence, file: segment.name, line: stored.lineNumber, message: `${name} is the first of a file whose name says it starts at record ${segment.firstSequence}: files were renamed or records moved` });
        }
        firstInFile = false;
        if (expectedSequence === undefined) {
          if (record.sequence === 1 && record.previousHash === genesisHash) {
            // The log still starts at its first record.
          } else if (anchor && record.sequence === anchor.firstSequence && record.previousHash === anchor.previousHash) {
            // Starts where the last retention left it.
          } else if (anchor && record.sequence < anchor.firstSequence) {
            warnings.push(`records ${record.sequence} to ${anchor.firstSequence - 1} were released by retention but their files are still there: run \`docent audit retention\` again to finish`);
          } else {
            const missing = anchor ? anchor.firstSequence : 1;
            throw new Tampered({
              sequence: record.sequence,
              file: segment.name,
              line: stored.lineNumber,
              message: anchor
                ? `${name} is the first record, but retention kept the log from record ${anchor.firstSequence} (previous hash ${anchor.previousHash.slice(0, 12)}…): records ${missing} to ${record.sequence - 1} are missing or the first record was replaced`
                : `${name} is the first record, but no retention removed records ${missing} to ${record.sequence - 1}: they are missing or the first record was replaced`,
            });
          }
          firstSequence = record.sequence;
        } else {
          if (record.sequence > expectedSequence) {
            const missing = record.sequence - expectedSequence === 1 ? `record ${expectedSequence} is` : `records ${expectedSequence} to ${record.sequence - 1} are`;
            throw new Tampered({ sequence: record.sequence, file: segment.name, line: stored.lineNumber, message: `${name} comes after record ${expectedSequence - 1}: ${missing} missing here (removed, or moved elsewhere)` });
          }
          if (record.sequence < expectedSequence) {
            throw new Tampered({ sequence: record.sequence, file: segment.name, line: stored.lineNumber, message: `${name} is out of place: record ${expectedSequence} was expected here (records were reordered, duplicated or inserted)` });
          }
          if (record.previousHash !== previousHash) {
            throw new Tampered({
              sequence: record.sequence,
              file: segment.name,
              line: stored.lineNumber,
              message: `${name} does not follow record ${expectedSequence - 1} (${previousPlace}) before it: its previous hash differs, so one of the two was rewritten (with a new hash) or replaced`,
            });
          }
        }
        if (dayOf(record.time) !== segment.day) {
          throw new Tampered({ sequence: record.sequence, file: segment.name, line: stored.lineNumber, message: `${name} was written on ${dayOf(record.time)} but sits in the file for ${segment.day}` });
        }
        if (record.type === 'retention') latestRetention = record;
        if (anchor && record.sequence === anchor.retentionSequence) anchorRecord = record;
        if (head && head !== 'unreadable' && record.sequence === head.sequence) headRecordHash = record.hash;
        expectedSequence = record.sequence + 1;
        previousHash = record.hash;
        lastSequence = record.sequence;
        lastHash = record.hash;
        lastPlace = { file: segment.name, line: stored.lineNumber };
        records++;
      }
      if (firstInFile && !isLastFile) warnings.push(`segments/${segment.name} is empty`);
    }

    if (head && head !== 'unreadable') {
      if (lastSequence === undefined || head.sequence > lastSequence) {
        const from = (lastSequence ?? 0) + 1;
        throw new Tampered({
          sequence: from,
          file: lastPlace?.file ?? 'head.json',
          ...(lastPlace ? { line: lastPlace.line + 1 } : {}),
          message: `the log ends at record ${lastSequence ?? 'none'}, but record ${head.sequence} was written (head.json): ${from === head.sequence ? `record ${from} is` : `records ${from} to ${head.sequence} are`} missing from the end`,
        });
      }
      if (headRecordHash !== undefined && headRecordHash !== head.hash) {
        throw new Tampered({ sequence: head.sequence, file: 'head.json', message: `record ${head.sequence} is not the record that was written (head.json holds another hash)` });
      }
    } else if (head === undefined && lastSequence !== undefined) {
      warnings.push('head.json is missing: records cut from the end of the log could not be checked');
    }

    if (anchor) {
      const retention = anchorRecord as (AuditRecord & RetentionContent) | undefined;
      if (!retention || retention.type !== 'retention' || retention.hash !== anchor.retentionHash || retention.throughSequence + 1 !== anchor.firstSequence || retention.lastRemovedHash !== anchor.previousHash) {
        throw new Tampered({ sequence: anchor.retentionSequence, file: 'anchor.json', message: `anchor.json does not match retention record ${anchor.retentionSequence}: the start of the log was moved` });
      }
    }

    const listed = new Map((latestRetention?.keptHeld ?? []).map((entry) => [entry.sequence, entry.hash]));
    for (const [sequence, copy] of held) {
      if (listed.get(sequence) !== copy.hash) {
        throw new Tampered({ sequence, file: 'held.jsonl', line: copy.line, message: `held.jsonl line ${copy.line} (record ${sequence}) was not put there by retention` });
      }
    }
    for (const [sequence] of listed) {
      if (!held.has(sequence)) {
        throw new Tampered({ sequence, file: 'held.jsonl', message: `record ${sequence}, kept under legal hold by retention record ${latestRetention!.sequence}, is missing from held.jsonl` });
      }
    }
    return finish();
  } catch (error) {
    if (error instanceof Tampered) return finish(error.problem);
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

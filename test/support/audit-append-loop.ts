/**
 * Appends audit records in a loop until killed, for the crash test: several appenders
 * at once (so writes are batched) and records of very different sizes (so a kill can
 * land in the middle of a large write). Prints `committed <sequence>` for each record
 * once `append` has resolved, i.e. once it is on disk.
 *
 * Usage: node --import tsx test/support/audit-append-loop.ts <audit directory>
 */
import { AuditLog } from '../../src/audit/audit-log.js';

const directory = process.argv[2];
if (!directory) throw new Error('usage: audit-append-loop.ts <audit directory>');

const log = await AuditLog.open({ directory, segmentRecords: 500 });
process.stdout.write('ready\n');
let number = 0;

async function appender(): Promise<never> {
  for (;;) {
    number++;
    const record = await log.append({
      type: 'answer',
      platform: 'web',
      visibility: 'private',
      asker: { id: `crash-test-${number % 7}`, principals: ['everyone'] },
      question: `question ${number}`,
      retrieved: [],
      cited: [],
      generator: 'extractive',
      answer: 'x'.repeat((number * 7919) % 50_000),
      notFound: false,
      latencyMs: number,
      redactions: [],
    });
    process.stdout.write(`committed ${record.sequence}\n`);
  }
}

await Promise.all(Array.from({ length: 8 }, appender));

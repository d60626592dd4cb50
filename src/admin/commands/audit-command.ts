import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import { once } from 'node:events';
import { Option, type Command } from 'commander';
import { auditDirectoryOf } from '../../audit/audit-paths.js';
import type { AuditRecord } from '../../audit/audit-record.js';
import { exportRecords, type ExportFormat } from '../../audit/export-records.js';
import { placeHold, releaseHold } from '../../audit/legal-holds.js';
import { describeFilter, filterOf, type FilterOptions } from '../../audit/record-filter.js';
import { applyRetention } from '../../audit/retention.js';
import { searchRecords } from '../../audit/search-records.js';
import { verifyLog, type VerifyReport } from '../../audit/verify-log.js';
import { DocentError } from '../../core/errors.js';
import { formatTable, printJson } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';
import { localAsker } from './local-asker.js';
import { withAuditLog } from '../../audit/with-audit-log.js';

function withFilterOptions(command: Command, timeRequired = false): Command {
  const time = (flag: string, description: string): Option => {
    const option = new Option(flag, description);
    return timeRequired ? option.makeOptionMandatory() : option;
  };
  return command
    .addOption(time('--from <time>', 'records written at or after this date (2026-11-01, a whole UTC day) or ISO time'))
    .addOption(time('--to <time>', 'records written up to this date (inclusive) or ISO time'))
    .option('--user <id>', "the asker's id or principal (user:<id>, group:<name>), or an admin action's actor")
    .option('--channel <id>', 'the channel or web session an answer was asked in')
    .option('--document <text>', 'part of a document id, title or URI the answer retrieved or cited')
    .option('--text <words>', 'words in the question, query, answer, comment or admin action')
    .addOption(new Option('--type <type>', 'only this kind of record').choices(['answer', 'feedback', 'admin', 'repair', 'retention']));
}

/** Who ran the command, for the records admin actions leave. */
function actor(): string {
  return localAsker().id;
}

function oneLine(text: string | undefined, width: number): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  return flat.length > width ? `${flat.slice(0, width - 1)}…` : flat;
}

function summaryOf(record: AuditRecord): { user: string; where: string; what: string } {
  switch (record.type) {
    case 'answer':
      return {
        user: record.asker.id,
        where: [record.platform, record.channelId].filter(Boolean).join(' '),
        what: `${oneLine(record.question, 50)} → ${record.failure ? `FAILED ${record.failure.code}` : `${record.notFound ? '(not found) ' : ''}${oneLine(record.answer, 40)}`}${record.cited.length > 0 ? ` [${record.cited.length} cited]` : ''}`,
      };
    case 'feedback':
      return { user: record.asker.id, where: '', what: `${record.rating === 'up' ? '👍' : '👎'} on ${record.answerId}${record.comment ? `: ${oneLine(record.comment, 50)}` : ''}` };
    case 'admin':
      return { user: record.actor, where: '', what: `${record.action} ${oneLine(JSON.stringify(record.details), 70)}` };
    case 'repair':
      return { user: '', where: record.file, what: `cut off ${record.removedBytes} bytes of an incomplete last line` };
    case 'retention':
      return { user: record.actor, where: '', what: `removed records ${record.fromSequence}-${record.throughSequence} (${record.removedRecords}; ${record.keptHeld.length} held kept)` };
  }
}

function printVerifyReport(report: VerifyReport, directory: string): void {
  if (report.ok) {
    console.log(
      report.records === 0
        ? `no audit records in ${directory} yet`
        : `ok: ${report.records} records in ${report.files} files verify (records ${report.firstSequence} to ${report.lastSequence}); last hash ${report.lastHash} (${report.elapsedMs} ms)`,
    );
  } else {
    const problem = report.problem!;
    console.log(`TAMPERED: ${problem.message}`);
    console.log(`first bad record: ${problem.sequence ?? '?'}, ${problem.file}${problem.line ? ` line ${problem.line}` : ''}`);
    console.log(`(${report.records} records before it verified)`);
  }
  for (const warning of report.warnings) console.log(`warning: ${warning}`);
}

export function registerAuditCommand(program: Command): void {
  const audit = program.command('audit').description('the audit log of every answer and admin action: search, export, verify, legal holds, retention');

  withFilterOptions(audit.command('search').description('find audit records (newest matches, oldest first)'))
    .option('--limit <count>', 'show at most this many of the newest matches', '50')
    .option('--json', 'print the records as JSON')
    .action(async (options: FilterOptions & { limit: string; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const limit = Number(options.limit);
      if (!Number.isInteger(limit) || limit < 1) throw new DocentError('invalid_request', `--limit ${options.limit}: expected a whole number of at least 1`);
      const result = await searchRecords(auditDirectoryOf(config), filterOf(options), limit);
      if (options.json) {
        printJson({ matched: result.matched, records: result.records.map((stored) => stored.record) });
      } else if (result.matched === 0) {
        console.log('no matching audit records');
      } else {
        const rows = result.records.map(({ record }) => {
          const summary = summaryOf(record);
          return [record.sequence, record.time.slice(0, 19).replace('T', ' '), record.type, summary.user, summary.where, summary.what];
        });
        console.log(formatTable(['#', 'time (UTC)', 'type', 'user', 'where', 'what'], rows));
        console.log(`\n${result.matched} matching record${result.matched === 1 ? '' : 's'}${result.matched > result.records.length ? `, newest ${result.records.length} shown (--limit)` : ''}; record ids: --json`);
      }
      if (result.unreadable > 0) console.error(`warning: ${result.unreadable} unreadable lines skipped; run \`docent audit verify\``);
    });

  withFilterOptions(audit.command('export').description('export audit records as CSV or JSON Lines (the export is itself recorded)'), true)
    .addOption(new Option('--format <format>', 'csv (for spreadsheets) or jsonl (the stored lines, hashes intact)').choices(['csv', 'jsonl']).makeOptionMandatory())
    .option('--output <file>', 'write to this file instead of standard output')
    .action(async (options: FilterOptions & { format: ExportFormat; output?: string }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const filter = filterOf(options);
      await withAuditLog(config, async (log) => {
        const details: Record<string, unknown> = { format: options.format, filter: describeFilter(filter) };
        if (!options.output) {
          // Standard output cannot be taken back: record the export before any record leaves.
          await log.append({ type: 'admin', actor: actor(), action: 'audit.export', details: { ...details, destination: 'standard output' } });
          await exportRecords(log.paths.directory, filter, options.format, async (text) => {
            if (!process.stdout.write(text)) await once(process.stdout, 'drain');
          });
          return;
        }
        const output = path.resolve(options.output);
        const partial = `${output}.partial`;
        const stream = createWriteStream(partial, { mode: 0o600 });
        const hash = createHash('sha256');
        try {
          const { records } = await exportRecords(log.paths.directory, filter, options.format, async (text) => {
            hash.update(text);
            if (!stream.write(text)) await once(stream, 'drain');
          });
          stream.end();
          await once(stream, 'finish');
          const sha256 = hash.digest('hex');
          // Recorded before the file appears under its name: no export exists unrecorded.
          await log.append({ type: 'admin', actor: actor(), action: 'audit.export', details: { ...details, destination: output, records, sha256 } });
          await rename(partial, output);
          console.error(`exported ${records} record${records === 1 ? '' : 's'} to ${output} (sha256 ${sha256}); the export is recorded in the audit log`);
        } catch (error) {
          stream.destroy();
          await unlink(partial).catch(() => undefined);
          throw error;
        }
      });
    });

  audit
    .command('verify')
    .description('check that no record was changed, inserted, reordered or removed; exit code 2 names the first bad one')
    .option('--json', 'print the report as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const directory = auditDirectoryOf(config);
      const report = await verifyLog(directory);
      if (options.json) printJson(report);
      else printVerifyReport(report, directory);
      if (!report.ok) process.exitCode = 2;
    });

  audit
    .command('hold')
    .description('put a record under legal hold: retention keeps it until it is released')
    .argument('<record-id>', 'the id of the record (see `docent audit search --json`)')
    .requiredOption('--reason <text>', 'why it is held, e.g. the case or matter number')
    .action(async (recordId: string, options: { reason: string }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const record = await withAuditLog(config, (log) => placeHold(log, recordId, options.reason, actor()));
      console.log(`record ${recordId} is under legal hold (recorded as ${record.sequence})`);
    });

  audit
    .command('release')
    .description('release a record from legal hold')
    .argument('<record-id>', 'the id of the held record')
    .option('--reason <text>', 'why the hold ends')
    .action(async (recordId: string, options: { reason?: string }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const record = await withAuditLog(config, (log) => releaseHold(log, recordId, options.reason, actor()));
      console.log(`record ${recordId} is released from legal hold (recorded as ${record.sequence})`);
    });

  audit
    .command('retention')
    .description('remove records older than N days, whole days at a time, except those under legal hold')
    .option('--older-than <days>', 'age in days (default: audit.retentionDays)')
    .option('--dry-run', 'only show what would be removed')
    .option('--json', 'print the result as JSON')
    .action(async (options: { olderThan?: string; dryRun?: boolean; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const days = options.olderThan !== undefined ? Number(options.olderThan) : config.audit.retentionDays;
      if (days === undefined) throw new DocentError('invalid_request', 'give --older-than <days> or set audit.retentionDays');
      if (!Number.isInteger(days) || days < 1) throw new DocentError('invalid_request', `--older-than ${options.olderThan}: expected a whole number of days of at least 1`);
      const result = await withAuditLog(config, (log) => applyRetention(log, { olderThanDays: days, actor: actor(), dryRun: options.dryRun ?? false }));
      if (options.json) {
        const { record, ...rest } = result;
        printJson({ ...rest, ...(record ? { recordId: record.id, recordSequence: record.sequence } : {}) });
        return;
      }
      const verb = result.dryRun ? 'would remove' : 'removed';
      if (result.removedFiles.length === 0) console.log(`nothing written before ${result.cutoff} to remove (whole UTC days only; the current file is kept)`);
      else {
        console.log(`${verb} ${result.removedRecords} records (${result.fromSequence} to ${result.throughSequence}) in ${result.removedFiles.length} files written before ${result.cutoff}; ${result.keptHeld} kept under legal hold`);
        if (result.record) console.log(`recorded as retention record ${result.record.sequence}; \`docent audit verify\` checks the log from there`);
      }
    });
}

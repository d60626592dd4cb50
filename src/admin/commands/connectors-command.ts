import path from 'node:path';
import { Option, type Command } from 'commander';
import { parseConnectorConfig } from '../../../connectors/config-fields.js';
import { createConnectorRegistry, type ConnectorRegistry } from '../../../connectors/registry.js';
import { ChunkIndex } from '../../../indexes/chunk-index.js';
import { readManifest } from '../../../indexes/index-manifest.js';
import { AuditLog } from '../../audit/audit-log.js';
import { auditDirectoryOf } from '../../audit/audit-paths.js';
import { connectorActions, recordConnectorAction, type ConnectorAction } from '../../audit/connector-actions.js';
import type { DocentConfig } from '../../config/schema.js';
import { connectorSourceId } from '../../core/connector.js';
import { DocentError, describeError } from '../../core/errors.js';
import type { ConnectorRecord, ConnectorRun } from '../../pipeline/connector-record.js';
import { cronSchedule, describeSchedule, estimatedNextRuns, intervalSchedule, type ConnectorSchedule, type NextRunSource } from '../../pipeline/connector-schedule.js';
import { ConnectorStore, validateConnectorName } from '../../pipeline/connector-store.js';
import { acquireFileLock } from '../../pipeline/file-lock.js';
import { runConnector } from '../../pipeline/run-connector.js';
import { connectorDependencies } from '../../runtime/connector-dependencies.js';
import { indexDirectoryOf, openRuntime } from '../../runtime/runtime.js';
import { formatTable, printJson, progressBar } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';
import { describeReport } from './index-command.js';
import { localAsker } from './local-asker.js';
import { locationOf } from './status-command.js';

export interface ConnectorsCommandOptions {
  /** Kinds of connector `add` accepts; every built-in kind by default. */
  registry?: ConnectorRegistry;
  /** When scheduled connectors run next; the job layer supplies the real schedule, the estimate is from the schedule alone. */
  nextRuns?: NextRunSource;
}

interface SettingsOptions {
  /** `--settings <json>` (not `--config`, which every command takes as the path of docent.yaml). */
  settings?: string;
  set?: string[];
  schedule?: string;
  every?: string;
}

/** `--settings '<json>'` and `--set key=value` (value read as JSON when it parses: numbers, booleans, lists) merged into one settings object. */
export function settingsFrom(options: SettingsOptions, base: Record<string, unknown> = {}): Record<string, unknown> {
  let settings = { ...base };
  if (options.settings) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(options.settings);
    } catch (error) {
      throw new DocentError('invalid_request', `--settings is not valid JSON: ${describeError(error)}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new DocentError('invalid_request', '--settings must be a JSON object, e.g. \'{"path": "/srv/share"}\'');
    settings = { ...settings, ...(parsed as Record<string, unknown>) };
  }
  for (const pair of options.set ?? []) {
    const separator = pair.indexOf('=');
    if (separator <= 0) throw new DocentError('invalid_request', `--set ${pair}: expected key=value`);
    const key = pair.slice(0, separator).trim();
    const text = pair.slice(separator + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // A plain word or path stays a string.
    }
    settings[key] = value;
  }
  return settings;
}

function scheduleFrom(options: SettingsOptions): ConnectorSchedule | undefined {
  if (options.schedule && options.every) throw new DocentError('invalid_request', 'give either --schedule (cron) or --every (interval), not both');
  if (options.schedule) return cronSchedule(options.schedule);
  if (options.every) return intervalSchedule(options.every);
  return undefined;
}

async function withAudit<T>(config: DocentConfig, work: (record: (action: ConnectorAction, connector: ConnectorRecord, extra?: Record<string, unknown>) => Promise<void>) => Promise<T>): Promise<T> {
  const log = await AuditLog.open({ directory: auditDirectoryOf(config) });
  try {
    return await work(async (action, connector, extra = {}) => {
      await recordConnectorAction(log, action, localAsker().id, { name: connector.name, kind: connector.kind, sourceId: connector.sourceId, ...extra });
    });
  } finally {
    await log.close();
  }
}

/** One word for where a connector stands, for the list. */
export function connectorState(connector: ConnectorRecord): string {
  if (connector.needsAttention) return 'needs attention';
  if (connector.paused) return 'paused';
  const latest = connector.runs[0];
  if (!latest) return 'never run';
  if (latest.state === 'running') return 'running';
  if (latest.state === 'failed') return 'failing';
  return 'ok';
}

function describeCounts(run: ConnectorRun | undefined): string {
  const counts = run?.counts;
  if (!counts) return '';
  return `${counts.seen} seen, ${counts.added} added, ${counts.updated + counts.metadataUpdated} updated, ${counts.deleted} deleted, ${counts.failed} failed`;
}

function when(iso: string | undefined): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '';
}

async function nextRunOf(connector: ConnectorRecord, source: NextRunSource): Promise<string | undefined> {
  const next = await source.nextRun({ name: connector.name, schedule: connector.schedule, paused: connector.paused, lastRunStartedAt: connector.runs[0]?.startedAt }, new Date());
  return next?.toISOString();
}

export function registerConnectorsCommand(program: Command, commandOptions: ConnectorsCommandOptions = {}): void {
  const registry = commandOptions.registry ?? createConnectorRegistry();
  const nextRuns = commandOptions.nextRuns ?? estimatedNextRuns;
  const kinds = registry.definitions().map((definition) => `${definition.kind} (${definition.description})`).join('; ');
  const connectors = program.command('connectors').description('the sources Docent keeps in step with: add, list, show, run, pause, resume, remove');

  connectors
    .command('add')
    .description(`add a connector. Kinds: ${kinds}`)
    .argument('<name>', 'a short name: lower-case letters, digits, - _ .')
    .requiredOption('--kind <kind>', `connector kind: ${registry.definitions().map((definition) => definition.kind).join(', ')}`)
    .option('--settings <json>', 'settings as a JSON object (secrets only as names of environment variables)')
    .option('--set <key=value...>', 'one setting; values that parse as JSON (numbers, true/false, ["a","b"]) are taken as such')
    .option('--schedule <cron>', 'run on a cron schedule, e.g. "*/15 * * * *"')
    .option('--every <interval>', 'run at an interval: 90s, 15m, 2h, 1d')
    .option('--paused', 'add it paused: schedules and watches leave it alone until resumed')
    .option('--json', 'print the connector as JSON')
    .action(async (name: string, options: SettingsOptions & { kind: string; paused?: boolean; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      validateConnectorName(name);
      const definition = registry.require(options.kind);
      const settings = settingsFrom(options);
      if (definition.kind === 'file-share' && typeof settings.path === 'string') settings.path = path.resolve(settings.path);
      parseConnectorConfig(definition, settings);
      const schedule = scheduleFrom(options);
      const store = ConnectorStore.in(config.dataDir);
      const sourceId = connectorSourceId(definition.kind, name);
      if (await store.get(name)) throw new DocentError('invalid_request', `a connector named "${name}" exists already`);
      const added = await withAudit(config, async (record) => {
        await record(connectorActions.add, { name, kind: definition.kind, sourceId } as ConnectorRecord, { config: settings, schedule });
        return store.add({ name, kind: definition.kind, sourceId, config: settings, schedule, paused: options.paused ?? false });
      });
      if (options.json) return printJson(added);
      console.log(`added connector ${added.name} (${added.kind}, source ${added.sourceId}, ${describeSchedule(added.schedule)}${added.paused ? ', paused' : ''}); run it now with \`docent connectors run ${added.name}\``);
    });

  connectors
    .command('set')
    .description("change a connector's settings or schedule (given settings replace those keys; the rest stay)")
    .argument('<name>')
    .option('--settings <json>', 'settings to change, as a JSON object')
    .option('--set <key=value...>', 'one setting to change')
    .option('--schedule <cron>', 'run on this cron schedule')
    .option('--every <interval>', 'run at this interval')
    .option('--no-schedule', 'run only when asked')
    .option('--json', 'print the connector as JSON')
    .action(async (name: string, options: Omit<SettingsOptions, 'schedule'> & { schedule?: string | false; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const store = ConnectorStore.in(config.dataDir);
      const before = await store.require(name);
      const definition = registry.require(before.kind);
      const settings = settingsFrom({ ...options, schedule: undefined } as SettingsOptions, before.config);
      if (definition.kind === 'file-share' && typeof settings.path === 'string') settings.path = path.resolve(settings.path);
      parseConnectorConfig(definition, settings);
      const schedule = options.schedule === false ? null : scheduleFrom({ ...options, schedule: options.schedule || undefined } as SettingsOptions);
      const changed = await withAudit(config, async (record) => {
        await record(connectorActions.configure, before, { config: settings, previousConfig: before.config, schedule: schedule ?? undefined, previousSchedule: before.schedule });
        return store.configure(name, { config: settings, ...(schedule !== undefined ? { schedule } : {}) });
      });
      if (options.json) return printJson(changed);
      console.log(`connector ${changed.name}: settings ${JSON.stringify(changed.config)}, ${describeSchedule(changed.schedule)}`);
    });

  connectors
    .command('list')
    .description('every connector: kind, state, last run, counts and next scheduled run')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const records = await ConnectorStore.in(config.dataDir).list();
      const rows = await Promise.all(
        records.map(async (connector) => {
          const lastRun = connector.runs.find((run) => run.state !== 'running') ?? connector.runs[0];
          return { connector, state: connectorState(connector), lastRun, nextRun: await nextRunOf(connector, nextRuns) };
        }),
      );
      if (options.json) {
        return printJson(rows.map(({ connector, state, lastRun, nextRun }) => ({ name: connector.name, kind: connector.kind, sourceId: connector.sourceId, location: locationOf(connector.config), state, paused: connector.paused, needsAttention: connector.needsAttention, schedule: connector.schedule, lastRun, nextRun })));
      }
      if (rows.length === 0) return console.log('no connectors yet: add one with `docent connectors add <name> --kind file-share --set path=/srv/share`');
      console.log(
        formatTable(
          ['name', 'kind', 'state', 'last run', 'result', 'counts', 'schedule', 'next run'],
          rows.map(({ connector, state, lastRun, nextRun }) => [connector.name, connector.kind, state, when(lastRun?.finishedAt ?? lastRun?.startedAt), lastRun?.state ?? '', describeCounts(lastRun), describeSchedule(connector.schedule), when(nextRun)]),
        ),
      );
    });

  connectors
    .command('show')
    .description('one connector: settings, state, next run, the last runs with counts, and failures with reasons')
    .argument('<name>')
    .option('--runs <count>', 'how many of the last runs to show', '5')
    .option('--json', 'print as JSON')
    .action(async (name: string, options: { runs: string; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const connector = await ConnectorStore.in(config.dataDir).require(name);
      const nextRun = await nextRunOf(connector, nextRuns);
      const runs = connector.runs.slice(0, Math.max(1, Number(options.runs) || 5));
      if (options.json) return printJson({ ...connector, runs, state: connectorState(connector), nextRun });
      console.log(`connector ${connector.name} (${connector.kind}): ${connectorState(connector)}`);
      console.log(`source: ${connector.sourceId}`);
      console.log(`settings: ${JSON.stringify(connector.config)}`);
      console.log(`schedule: ${describeSchedule(connector.schedule)}${nextRun ? `, next run ${when(nextRun)}` : ''}${connector.paused ? ' (paused)' : ''}`);
      if (connector.needsAttention) console.log(`needs attention since ${when(connector.needsAttention.at)}: ${connector.needsAttention.message} [${connector.needsAttention.code}]`);
      if (connector.checkpoint !== undefined) console.log(`checkpoint: ${JSON.stringify(connector.checkpoint)}`);
      if (runs.length === 0) return console.log('no runs yet');
      console.log('');
      console.log(
        formatTable(
          ['started', 'finished', 'trigger', 'state', 'seen', 'added', 'updated', 'deleted', 'failed'],
          runs.map((run) => [when(run.startedAt), when(run.finishedAt), run.trigger, run.state, run.counts?.seen ?? '', run.counts?.added ?? '', run.counts ? run.counts.updated + run.counts.metadataUpdated : '', run.counts?.deleted ?? '', run.counts?.failed ?? '']),
        ),
      );
      for (const run of runs) {
        if (!run.error && run.failures.length === 0) continue;
        console.log(`\nrun of ${when(run.startedAt)}:`);
        if (run.error) console.log(`  run failed: ${run.error.message} [${run.error.code}]${run.error.retryable ? ' (will be retried)' : ''}`);
        for (const failure of run.failures) console.log(`  failed ${failure.location}: ${failure.message} [${failure.code}]${failure.keptPreviousVersion ? ' (the previously indexed version is kept)' : ''}`);
        if (run.failuresOmitted) console.log(`  … and ${run.failuresOmitted} more`);
      }
    });

  connectors
    .command('run')
    .description('run a connector now, in this process, and print its report (exit code 1 when it failed)')
    .argument('<name>')
    .option('--json', 'print the run and its report as JSON')
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      await ConnectorStore.in(config.dataDir).require(name);
      const runtime = await openRuntime(config, { create: true });
      const controller = new AbortController();
      const interrupt = (): void => controller.abort();
      process.once('SIGINT', interrupt);
      const bar = progressBar(`running ${name}`);
      try {
        const result = await runConnector(name, { ...connectorDependencies(runtime), registry }, {
          trigger: 'manual',
          signal: controller.signal,
          log: (message) => process.stderr.write(`${name}: ${message}\n`),
          onProgress: (progress) => bar.update(progress.processed, Math.max(progress.seen, progress.processed), `${progress.chunks} chunks, ${progress.failed} failed`),
        });
        bar.stop();
        if (options.json) printJson({ run: result.run, report: result.report });
        else console.log(describeReport(result.report));
        if (result.run.state !== 'succeeded') {
          console.error(`docent: the run of ${name} was ${result.run.state}`);
          process.exitCode = 1;
        }
      } catch (error) {
        bar.stop();
        const latest = (await runtime.connectors.get(name))?.runs[0];
        if (options.json && latest) printJson({ run: latest });
        console.error(`docent: connector ${name} failed: ${describeError(error)}${(error as DocentError).code ? ` [${(error as DocentError).code}]` : ''}`);
        process.exitCode = 1;
      } finally {
        process.off('SIGINT', interrupt);
        await runtime.dispose();
      }
    });

  for (const [verb, paused] of [['pause', true], ['resume', false]] as const) {
    connectors
      .command(verb)
      .description(paused ? 'stop scheduled and watch runs of a connector (its documents stay searchable)' : 'let schedules and watches run a paused connector again')
      .argument('<name>')
      .action(async (name: string, _options: unknown, command: Command) => {
        const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
        const store = ConnectorStore.in(config.dataDir);
        const connector = await store.require(name);
        await withAudit(config, async (record) => {
          await record(paused ? connectorActions.pause : connectorActions.resume, connector);
          await store.configure(name, { paused });
        });
        console.log(`connector ${name} ${paused ? 'paused' : 'resumed'}`);
      });
  }

  connectors
    .command('remove')
    .description('remove a connector: its documents leave the index, its settings, checkpoint and run history are forgotten')
    .argument('<name>')
    .addOption(new Option('--json', 'print what was removed as JSON'))
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const store = ConnectorStore.in(config.dataDir);
      const connector = await store.require(name);
      // Not while it runs: the run would write its documents back.
      const running = await acquireFileLock(path.join(path.dirname(store.file), 'runs', `${name}.lock`), {
        waitMs: 0,
        busy: (holder) => new DocentError('connector_busy', `connector ${name} is being run by ${holder}; remove it when the run has finished`),
      });
      try {
        const index = await openIndexIfAny(config);
        try {
          const documents = index ? [...(await index.documents(connector.sourceId)).keys()] : [];
          await withAudit(config, async (record) => {
            await record(connectorActions.remove, connector, { config: connector.config, documentsDeleted: documents.length });
            if (index) {
              await index.deleteDocuments(documents);
              await index.refreshIndexes();
            }
            await store.remove(name);
          });
          if (options.json) return printJson({ name, sourceId: connector.sourceId, documentsDeleted: documents.length });
          console.log(`removed connector ${name}: ${documents.length} documents deleted from the index`);
        } finally {
          index?.close();
        }
      } finally {
        await running.release();
      }
    });
}

/** The index as it is, without loading an embedding model; undefined when nothing was indexed yet. */
async function openIndexIfAny(config: DocentConfig): Promise<ChunkIndex | undefined> {
  const directory = indexDirectoryOf(config);
  const manifest = await readManifest(directory);
  return manifest ? ChunkIndex.open(directory, manifest.embedding, { create: false }) : undefined;
}

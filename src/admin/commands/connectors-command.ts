import path from 'node:path';
import { Option, type Command } from 'commander';
import { createConnectorRegistry, type ConnectorRegistry } from '../../../connectors/registry.js';
import { ChunkIndex } from '../../../indexes/chunk-index.js';
import { readManifest } from '../../../indexes/index-manifest.js';
import { AuditLog } from '../../audit/audit-log.js';
import { auditDirectoryOf } from '../../audit/audit-paths.js';
import type { DocentConfig } from '../../config/schema.js';
import { DocentError, describeError } from '../../core/errors.js';
import type { ConnectorRun } from '../../pipeline/connector-record.js';
import { cronSchedule, describeSchedule, estimatedNextRuns, intervalSchedule, type ConnectorSchedule, type NextRunSource } from '../../pipeline/connector-schedule.js';
import { ConnectorStore } from '../../pipeline/connector-store.js';
import { runConnector } from '../../pipeline/run-connector.js';
import { connectorDependencies } from '../../runtime/connector-dependencies.js';
import { indexDirectoryOf, openRuntime } from '../../runtime/runtime.js';
import { formatTable, printJson, progressBar } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';
import { applySchedule, enqueueConnectorRun, waitForConnectorRun } from '../../jobs/connector-jobs.js';
import { indexReportOf } from '../../jobs/connector-sync-stages.js';
import { ConnectorService } from '../connector-service.js';
import { commandActor } from './command-actor.js';
import { describeReport } from './index-command.js';

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

/** The shared connector service over this data directory, its audit log and (for removals) its index. */
async function withService<T>(config: DocentConfig, registry: ConnectorRegistry, nextRuns: NextRunSource, work: (service: ConnectorService) => Promise<T>): Promise<T> {
  // Opened by the first record: list and show record nothing, so a damaged audit log does not stop them; changes fail on it before they are made.
  const log = AuditLog.openOnFirstUse({ directory: auditDirectoryOf(config) });
  try {
    const service = new ConnectorService({
      store: ConnectorStore.in(config.dataDir),
      registry,
      audit: log,
      nextRuns,
      // With Redis, the queues' schedulers follow the change; without, `docent serve` re-reads the settings.
      syncSchedule: (connector, record) => applySchedule(config, connector, record),
      index: async () => {
        const index = await openIndexIfAny(config);
        return index ? { index, release: () => index.close() } : undefined;
      },
    });
    return await work(service);
  } finally {
    await log.close();
  }
}

function describeCounts(run: ConnectorRun | undefined): string {
  const counts = run?.counts;
  if (!counts) return '';
  return `${counts.seen} seen, ${counts.added} added, ${counts.updated + counts.metadataUpdated} updated, ${counts.deleted} deleted, ${counts.failed} failed`;
}

function when(iso: string | undefined): string {
  return iso ? iso.slice(0, 19).replace('T', ' ') : '';
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
      const definition = registry.require(options.kind);
      const settings = settingsFrom(options);
      if (definition.kind === 'file-share' && typeof settings.path === 'string') settings.path = path.resolve(settings.path);
      const added = await withService(config, registry, nextRuns, (service) => service.add(commandActor(), { name, kind: definition.kind, settings, schedule: scheduleFrom(options), paused: options.paused ?? false }));
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
      const before = await ConnectorStore.in(config.dataDir).require(name);
      const settings = settingsFrom({ ...options, schedule: undefined } as SettingsOptions);
      if (before.kind === 'file-share' && typeof settings.path === 'string') settings.path = path.resolve(settings.path);
      const schedule = options.schedule === false ? null : scheduleFrom({ ...options, schedule: options.schedule || undefined } as SettingsOptions);
      const changed = await withService(config, registry, nextRuns, (service) => service.configure(commandActor(), name, { settings, ...(schedule !== undefined ? { schedule } : {}) }));
      if (options.json) return printJson(changed);
      console.log(`connector ${changed.name}: settings ${JSON.stringify(changed.config)}, ${describeSchedule(changed.schedule)}`);
    });

  connectors
    .command('list')
    .description('every connector: kind, state, last run, counts and next scheduled run')
    .option('--json', 'print as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const rows = await withService(config, registry, nextRuns, (service) => service.list());
      if (options.json) return printJson(rows);
      if (rows.length === 0) return console.log('no connectors yet: add one with `docent connectors add <name> --kind file-share --set path=/srv/share`');
      console.log(
        formatTable(
          ['name', 'kind', 'state', 'last run', 'result', 'counts', 'schedule', 'next run'],
          rows.map((row) => [row.name, row.kind, row.state, when(row.lastRun?.finishedAt ?? row.lastRun?.startedAt), row.lastRun?.state ?? '', describeCounts(row.lastRun), describeSchedule(row.schedule), when(row.nextRun)]),
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
      const connector = await withService(config, registry, nextRuns, (service) => service.show(name, Number(options.runs) || 5));
      const { runs, nextRun } = connector;
      if (options.json) return printJson(connector);
      console.log(`connector ${connector.name} (${connector.kind}): ${connector.state}`);
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
    .description('run a connector now and print its report (exit code 1 when it failed): in this process, or, with REDIS_URL set, queued for the workers (--wait to wait for its report)')
    .argument('<name>')
    .option('--wait', 'with REDIS_URL: wait for the queued run to finish and print its report')
    .option('--json', 'print the run and its report as JSON')
    .action(async (name: string, options: { wait?: boolean; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      await ConnectorStore.in(config.dataDir).require(name);
      // With Redis the workers run connectors: a run here would race theirs for the same index.
      if (config.jobs.redisUrl) return runOnWorkers(config, registry, nextRuns, name, options);
      const runtime = await openRuntime(config, { create: true });
      try {
        // The run an admin asks for is recorded: a damaged audit log stops it before it starts.
        await runtime.audit.ready();
      } catch (error) {
        await runtime.dispose();
        throw error;
      }
      const controller = new AbortController();
      const interrupt = (): void => controller.abort();
      process.once('SIGINT', interrupt);
      const bar = progressBar(`running ${name}`);
      // The runtime's own audit log and index: one writer of each per process.
      const service = new ConnectorService({ store: runtime.connectors, registry, audit: runtime.audit, nextRuns, index: async () => ({ index: runtime.index, release: () => undefined }) });
      try {
        const result = await service.run(commandActor(), name, () =>
          runConnector(name, { ...connectorDependencies(runtime), registry }, {
            trigger: 'manual',
            signal: controller.signal,
            log: (message) => process.stderr.write(`${name}: ${message}\n`),
            onProgress: (progress) => bar.update(progress.processed, Math.max(progress.seen, progress.processed), `${progress.chunks} chunks, ${progress.failed} failed`),
          }),
        );
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
        await withService(config, registry, nextRuns, (service) => service.setPaused(commandActor(), name, paused));
        console.log(`connector ${name} ${paused ? 'paused' : 'resumed'}`);
      });
  }

  connectors
    .command('remove')
    .description('remove a connector: its documents leave the index; its settings, checkpoint, run history and cache folder are deleted')
    .argument('<name>')
    .addOption(new Option('--json', 'print what was removed as JSON'))
    .action(async (name: string, options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const removed = await withService(config, registry, nextRuns, (service) => service.remove(commandActor(), name));
      if (options.json) return printJson(removed);
      console.log(`removed connector ${name}: ${removed.documentsDeleted} documents deleted from the index`);
    });
}

/**
 * `docent connectors run` with Redis: queues the run (or joins one already queued or
 * running) and prints its id; with `wait`, waits for it and prints the report as a run in
 * this process does, exit code 1 when it failed. Ctrl-C stops the waiting, not the run.
 */
async function runOnWorkers(config: DocentConfig, registry: ConnectorRegistry, nextRuns: NextRunSource, name: string, options: { wait?: boolean; json?: boolean }): Promise<void> {
  const enqueued = await withService(config, registry, nextRuns, (service) => service.run(commandActor(), name, () => enqueueConnectorRun(config, name, { wait: false })));
  const queued = `${enqueued.joined ? 'joined run' : 'queued run'} ${enqueued.runId} of ${name}`;
  if (!options.wait) {
    if (options.json) return printJson({ runId: enqueued.runId, joined: enqueued.joined });
    console.log(`${queued} for the workers; follow it with \`docent connectors show ${name}\`, or wait for it with --wait`);
    return;
  }
  if (!options.json) console.error(`${queued}; waiting for the workers (Ctrl-C stops waiting, not the run)`);
  const store = ConnectorStore.in(config.dataDir);
  const controller = new AbortController();
  const interrupt = (): void => controller.abort();
  process.once('SIGINT', interrupt);
  try {
    const report = await waitForConnectorRun(config, enqueued.runId, controller.signal);
    const record = await store.require(name);
    const indexReport = indexReportOf(record.sourceId, report);
    if (options.json) printJson({ runId: enqueued.runId, joined: enqueued.joined, run: record.runs.find((run) => run.id === enqueued.runId), report: indexReport });
    else console.log(describeReport(indexReport));
  } catch (error) {
    if (controller.signal.aborted) {
      console.error(`docent: stopped waiting; run ${enqueued.runId} goes on in the workers`);
      process.exitCode = 130;
      return;
    }
    const run = (await store.get(name))?.runs.find((entry) => entry.id === enqueued.runId);
    if (options.json) printJson({ runId: enqueued.runId, joined: enqueued.joined, ...(run ? { run } : {}) });
    console.error(`docent: connector ${name} failed: ${describeError(error)}${(error as DocentError).code ? ` [${(error as DocentError).code}]` : ''}`);
    process.exitCode = 1;
  } finally {
    process.off('SIGINT', interrupt);
  }
}

/** The index as it is, without loading an embedding model; undefined when nothing was indexed yet. */
async function openIndexIfAny(config: DocentConfig): Promise<ChunkIndex | undefined> {
  const directory = indexDirectoryOf(config);
  const manifest = await readManifest(directory);
  return manifest ? ChunkIndex.open(directory, manifest.embedding, { create: false }) : undefined;
}

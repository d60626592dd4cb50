import type { Command } from 'commander';
import type { DownloadProgress } from '../../models/download-to-file.js';
import { bundleModels } from '../../models/model-bundle.js';
import { modelsDirectoryOf } from '../../models/model-manifest.js';
import { listModels, pullModel, type ModelCheck } from '../../models/model-store.js';
import { verifyConfiguredModels } from '../../models/verify-configured-models.js';
import { formatBytes } from '../../core/format-bytes.js';
import { formatTable, printJson } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';
import { commandActor } from './command-actor.js';
import { performAdminAction, recordAdminAction } from '../../audit/admin-action.js';
import { withAuditLog } from '../../audit/with-audit-log.js';

/** A one-line download meter redrawn in place; only on a terminal, where it cannot clutter a log file. */
function progressLine(label: string): { update(progress: DownloadProgress): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const started = Date.now();
  let lastDrawn = 0;
  let drawn = false;
  return {
    update({ bytes, total }) {
      const now = Date.now();
      // Redrawing on every network chunk would cost more than the download itself.
      if (now - lastDrawn < 200 && bytes !== total) return;
      lastDrawn = now;
      const rate = bytes / Math.max((now - started) / 1000, 0.001);
      const share = total ? ` (${Math.floor((bytes / total) * 100)}%)` : '';
      process.stderr.write(`\r${label}: ${formatBytes(bytes)}${total ? ` of ${formatBytes(total)}` : ''}${share}, ${formatBytes(rate)}/s\u001b[K`);
      drawn = true;
    },
    stop() {
      if (drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}

function describeCheck(check: ModelCheck): string {
  const label = check.name ?? check.path;
  if (!check.ok) return `FAILED  ${label}: ${check.problem} [${check.code}]`;
  const details = check.details?.architecture ? `, ${check.details.architecture}` : '';
  const state = check.status === 'recorded' ? 'matches models.json' : 'not in models.json, nothing to compare with';
  return `ok      ${label}  ${check.path} (${formatBytes(check.bytes ?? 0)}${details}; sha256 ${check.sha256}, ${state})`;
}

export function registerModelsCommand(program: Command): void {
  const models = program.command('models').description('fetch, check and package local model files (the only commands that download anything)');

  models
    .command('list')
    .description('show the models in the models directory')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const directory = modelsDirectoryOf(config);
      const listed = await listModels({ directory });
      if (options.json) {
        printJson(listed);
        return;
      }
      if (listed.length === 0) {
        console.log(`no models in ${directory}; fetch one with: docent models pull <owner/repo/file.gguf>`);
        return;
      }
      const rows = listed.map((model) => [
        model.name,
        model.present ? formatBytes(model.bytesOnDisk ?? 0) : 'MISSING',
        model.record?.kind ?? model.details?.architecture ?? '',
        model.details?.trainedContextLength ?? '',
        model.record?.source ?? '(copied in, not recorded)',
        model.record?.pulledAt.slice(0, 10) ?? '',
      ]);
      console.log(formatTable(['name', 'size', 'kind', 'context', 'source', 'pulled'], rows));
      console.log(`\n${directory}${config.llm.model ? `; llm.model is ${config.llm.model}` : ''}`);
    });

  models
    .command('pull')
    .description('download a GGUF model from Hugging Face (owner/repo/file.gguf[@revision], hf://...) or an http(s) URL')
    .argument('<reference>', 'owner/repo/path/file.gguf, optionally @revision; or a URL. HF_ENDPOINT selects a mirror, HF_TOKEN is sent to it')
    .option('--name <name>', 'name to use in llm.model (default: the file name without .gguf)')
    .option('--sha256 <hex>', 'refuse the download unless its SHA-256 is this')
    .option('--force', 'replace a model of the same name')
    .action(async (reference: string, options: { name?: string; sha256?: string; force?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const directory = modelsDirectoryOf(config);
      const controller = new AbortController();
      const interrupt = (): void => controller.abort();
      process.once('SIGINT', interrupt);
      const meter = progressLine(`pulling ${reference}`);
      try {
        const pullOptions: Parameters<typeof pullModel>[1] = { directory, onProgress: (progress) => meter.update(progress), signal: controller.signal };
        if (options.name !== undefined) pullOptions.name = options.name;
        if (options.sha256 !== undefined) pullOptions.sha256 = options.sha256;
        if (options.force) pullOptions.force = true;
        const actor = commandActor();
        // Which weights answers may come from is a compliance fact: the pull is recorded before it starts, its checksum once it is done.
        const pulled = await withAuditLog(config, async (log) => {
          const entry = { actor, action: 'model.pull', target: reference, details: { name: options.name ?? null, expectedSha256: options.sha256 ?? null, force: options.force === true } };
          const result = await performAdminAction(log, entry, () => pullModel(reference, pullOptions));
          await recordAdminAction(log, { actor, action: 'model.pull.completed', target: reference, details: { name: result.name, sha256: result.sha256, bytes: result.bytes, source: result.source, replaced: result.replaced } });
          return result;
        });
        meter.stop();
        const details = [pulled.details.architecture, pulled.details.modelName, pulled.details.trainedContextLength ? `trained context ${pulled.details.trainedContextLength}` : undefined].filter(Boolean).join(', ');
        console.log(`${pulled.replaced ? 'replaced' : 'pulled'} ${pulled.name}: ${pulled.path} (${formatBytes(pulled.bytes)}${details ? `; ${details}` : ''})`);
        console.log(`  from ${pulled.source}\n  sha256 ${pulled.sha256}`);
        if (config.llm.model !== pulled.name) console.log(`  use it with llm.model: ${pulled.name} (in docent.yaml) or DOCENT_LLM_MODEL=${pulled.name}`);
      } finally {
        meter.stop();
        process.off('SIGINT', interrupt);
      }
    });

  models
    .command('verify')
    .description('re-hash models and compare them with the checksums recorded when they were pulled (exit code 2 on a mismatch)')
    .argument('[name]', 'a model name or a GGUF path (default: every recorded model, and llm.model)')
    .option('--json', 'print the results as JSON')
    .action(async (name: string | undefined, options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const checks = await verifyConfiguredModels(config, name);
      if (options.json) printJson(checks);
      else if (checks.length === 0) console.log(`no models recorded in ${modelsDirectoryOf(config)}`);
      else for (const check of checks) console.log(describeCheck(check));
      const failed = checks.filter((check) => !check.ok);
      if (failed.length > 0) {
        if (!options.json) console.error(`docent: ${failed.length} of ${checks.length} model${checks.length === 1 ? '' : 's'} failed verification`);
        process.exitCode = 2;
      }
    });

  models
    .command('bundle')
    .description('write a .tar.gz with the configured models, their checksums and the settings file, to carry to an air-gapped site')
    .requiredOption('--output <file>', 'the archive to write, e.g. docent-models.tar.gz')
    .action(async (options: { output: string }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      const config = loadCommandConfig(globals);
      // The same file loadConfig read: --config, then DOCENT_CONFIG, then ./docent.yaml.
      const configFile = globals.config ?? process.env.DOCENT_CONFIG ?? 'docent.yaml';
      const result = await bundleModels(config, options.output, { configFile });
      console.log(`wrote ${result.output} (${formatBytes(result.bytes)}):`);
      for (const entry of result.entries) console.log(`  ${entry}`);
      for (const note of result.notes) console.log(`note: ${note}`);
      console.log(`at the site: tar -xzf ${options.output} -C <data directory>, then docent --config <data directory>/docent.yaml models verify`);
    });
}

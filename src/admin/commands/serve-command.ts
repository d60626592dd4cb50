import type { Command } from 'commander';
import { proxyLoginAsker, type ProxyLoginOptions } from '../../chat/web/proxy-login.js';
import { createWebServer } from '../../chat/web/web-server.js';
import { audienceResolverFor } from '../../chat/audience-resolver.js';
import { consoleSurfaceLogger } from '../../chat/console-surface-logger.js';
import { slackSurfaceEnabled, startSlackSurface } from '../../chat/slack/slack-surface.js';
import { createTeamsSurface, teamsConfigured } from '../../chat/teams/teams-surface.js';
import type { ChatIdentity } from '../../core/directory.js';
import type { DocentConfig } from '../../config/schema.js';
import { describeError } from '../../core/errors.js';
import { startInProcessJobs } from '../../jobs/in-process-jobs.js';
import { IndexedDocumentFiles } from '../../runtime/document-files.js';
import { folderSourceId } from '../../../connectors/file-share/index.js';
import { indexFolder, removeSource } from '../../runtime/index-folder.js';
import { readinessOf, type ModelState } from '../../runtime/readiness.js';
import { openRuntime, type Runtime } from '../../runtime/runtime.js';
import { sampleCorpusPath } from '../../runtime/package-root.js';
import { registerAdminSurface } from '../admin-surface.js';
import { modelsInUse, modelsInUseFile, recordModelChange } from '../../audit/model-change.js';
import { commandActor } from './command-actor.js';
import { progressBar } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';
import { describeReport } from './index-command.js';

/** Serves the web chat until SIGINT/SIGTERM, then closes the server and releases the models. */
export async function serveWebChat(runtime: Runtime, config: DocentConfig): Promise<void> {
  // Every answer is recorded: a damaged audit log stops the server now, not at the first question.
  await runtime.audit.ready();
  // Compliance must be able to date every change of the models that answers were made with.
  await recordModelChange(runtime.audit, modelsInUse(config, runtime.embedder), modelsInUseFile(runtime.dataDirectory), commandActor());
  let embedderReady = false;
  // Load the model now so the first question is not the one that waits for it.
  const warmUp = runtime.embedder.embedQuery('warm up').then(
    () => {
      embedderReady = true;
    },
    (error: unknown) => console.error(`embedding model failed to load: ${describeError(error)}`),
  );
  let model: ModelState = runtime.chatModel ? { state: 'loading' } : { state: 'none' };
  const modelWarmUp = runtime.chatModel?.describe().then(
    (description) => {
      model = { state: 'ready', description };
    },
    (error: unknown) => {
      model = { state: 'failed', reason: describeError(error) };
      console.error(`language model unavailable: ${describeError(error)}; answers will quote the documents`);
    },
  );
  const resolvePrincipals = async (identity: ChatIdentity): Promise<string[]> => (await runtime.access.directory.resolve(identity)).principals;
  const resolveAudience = audienceResolverFor(runtime.access, config.channels.maximumCommonMembers);
  const teams = teamsConfigured(config.teams)
    ? createTeamsSurface({ engine: runtime.engine, feedback: runtime.feedback, config: config.teams, logger: consoleSurfaceLogger('teams'), resolvePrincipals, resolveAudience })
    : undefined;
  // Starts before the web server and fails `serve` with a message naming the secret when Slack refuses it.
  const slack = slackSurfaceEnabled(config)
    ? await startSlackSurface({ engine: runtime.engine, feedback: runtime.feedback, config, access: runtime.access, logger: consoleSurfaceLogger('slack') })
    : undefined;
  const baseReadiness = readinessOf(runtime, () => embedderReady, () => model);
  const webOptions: Parameters<typeof createWebServer>[0] = {
    engine: runtime.engine,
    documents: new IndexedDocumentFiles(runtime.index),
    readiness: async () => {
      const report = await baseReadiness();
      if (teams) {
        report.checks.teams = teams.state();
        report.ready &&= report.checks.teams.ok;
      }
      if (slack) {
        const { ok, detail } = slack.state();
        report.checks.slack = { ok, detail };
        report.ready &&= ok;
      }
      return report;
    },
    feedback: runtime.feedback,
  };
  if (config.server.loginUserHeader) {
    const login: ProxyLoginOptions = { userHeader: config.server.loginUserHeader, trustedProxies: config.server.trustedProxies };
    if (config.server.loginEmailHeader) login.emailHeader = config.server.loginEmailHeader;
    webOptions.resolveAsker = proxyLoginAsker(login, runtime.access);
  }
  // Without Redis, connector schedules run here; with it, `docent worker` processes run them.
  const jobs = config.jobs.redisUrl ? undefined : await startInProcessJobs(config, runtime.index, runtime.embedder, (line) => console.log(`jobs: ${line}`));
  const server = await createWebServer(webOptions);
  teams?.register(server);
  const admin = await registerAdminSurface(server, runtime, jobs ? { runner: jobs.runner } : {});
  const address = await server.listen({ host: config.server.host, port: config.server.port });
  await Promise.all([warmUp, modelWarmUp]);
  const base = address.replace('127.0.0.1', 'localhost');
  console.log(`web chat ready on ${base}`);
  console.log(`admin console on ${base}/admin${admin.singleSignOn ? ' (single sign-on roles from admin.roles, or a token)' : admin.liveTokens > 0 ? '' : ' (create a token first: docent admin tokens create --name <name> --role admin)'}`);
  for (const warning of admin.warnings) console.warn(`warning: ${warning}`);
  if (teams) console.log(`Microsoft Teams bot listening on ${teams.path}`);
  if (slack) console.log('Slack bot connected');
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  console.log('shutting down');
  await jobs?.close();
  await slack?.stop();
  await teams?.close();
  await admin.close();
  await server.close();
}

export function registerServeCommands(program: Command): void {
  program
    .command('serve')
    .description('serve the web chat over the existing index')
    .action(async (_options: unknown, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const runtime = await openRuntime(config, { create: false });
      try {
        await serveWebChat(runtime, config);
      } finally {
        await runtime.dispose();
      }
    });

  program
    .command('start')
    .description('index DOCENT_DOCS (or the bundled sample corpus) and serve the web chat: the zero-setup default')
    .action(async (_options: unknown, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const folder = config.docs ?? sampleCorpusPath();
      const runtime = await openRuntime(config, { create: true });
      try {
        // Checked before indexing, which takes a while: the chat that follows records every answer.
        await runtime.audit.ready();
        // Demo content must never answer questions about a real folder.
        const sampleSource = folderSourceId(sampleCorpusPath());
        if (config.docs && (await runtime.connectors.findBySourceId(sampleSource))) {
          console.log(`removed the sample corpus from the index (${await removeSource(runtime, sampleSource)} documents) now that DOCENT_DOCS is set`);
        }
        console.log(`indexing ${folder}${config.docs ? '' : ' (the bundled sample corpus; set DOCENT_DOCS to index your own folder)'}`);
        const bar = progressBar('indexing');
        const report = await indexFolder(runtime, folder, { onProgress: (progress) => bar.update(progress.processed, progress.seen, `${progress.chunks} chunks`) });
        bar.stop();
        console.log(describeReport(report));
        await serveWebChat(runtime, config);
      } finally {
        await runtime.dispose();
      }
    });
}

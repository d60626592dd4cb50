import type { FastifyInstance } from 'fastify';
import type { DocentConfig } from '../config/schema.js';
import { ChannelSettingsStore } from '../directory/channel-settings-store.js';
import type { JobRunner } from '../jobs/job-runner.js';
import { createJobRunner } from '../jobs/sync-host.js';
import { LazyJobRunner, type AdminJobs } from './lazy-job-runner.js';
import type { Runtime } from '../runtime/runtime.js';
import { createAdminAuthenticator, type AdminAuthenticatorOptions, type SingleSignOnRoles } from './access/admin-authenticator.js';
import { AdminTokenStore } from './access/admin-token-store.js';
import { adminApiPrefix, registerAdminApi, type AdminRoutes } from './api/admin-api.js';
import { collectStatus } from './status-report.js';
import { registerAdminConsole } from './console/admin-console.js';
import { ConnectorService, runnerSchedules } from './connector-service.js';

/** How the admin side of `docent serve` was set up, for its start-up lines. */
export interface AdminSurface {
  /** Tokens that can sign in now. */
  liveTokens: number;
  /** Whether people signed in through the proxy get roles from `admin.roles`. */
  singleSignOn: boolean;
  /** Settings that do nothing as given, to say so at start-up. */
  warnings: string[];
  /** Lets go of the connection to the job queues, when the surface opened one. */
  close(): Promise<void>;
}

function anyRoleMapped(config: DocentConfig): boolean {
  return Object.values(config.admin.roles).some((principals) => principals.length > 0);
}

export interface AdminSurfaceOptions {
  /**
   * The job runner that runs connectors: the server's in-process one without Redis. With
   * Redis (`jobs.redisUrl`) and none given, the surface connects to the queues itself,
   * when an admin first needs them.
   */
  runner?: JobRunner;
  /** Resources added by other parts of Docent, behind the same role checks. */
  extraRoutes?: AdminRoutes[];
}

/** Puts the admin API (`/api/admin`) and console (`/admin`) on the server that serves the chat. */
export async function registerAdminSurface(server: FastifyInstance, runtime: Runtime, options: AdminSurfaceOptions = {}): Promise<AdminSurface> {
  const { config } = runtime;
  const tokens = AdminTokenStore.in(runtime.dataDirectory);
  const warnings: string[] = [];
  const authenticatorOptions: AdminAuthenticatorOptions = { tokens };
  const loginUserHeader = config.server.loginUserHeader;
  if (anyRoleMapped(config)) {
    if (loginUserHeader) {
      const singleSignOn: SingleSignOnRoles = {
        login: { userHeader: loginUserHeader, trustedProxies: config.server.trustedProxies },
        directory: runtime.access.directory,
        roles: config.admin.roles,
      };
      if (config.server.loginEmailHeader) singleSignOn.login.emailHeader = config.server.loginEmailHeader;
      authenticatorOptions.singleSignOn = singleSignOn;
    } else {
      warnings.push('admin.roles is set but server.loginUserHeader is not: nobody signs in through single sign-on, so only admin tokens open the console');
    }
  }
  const ownRunner = options.runner ? undefined : new LazyJobRunner(() => createJobRunner(config, undefined));
  const runner: AdminJobs = options.runner ?? ownRunner!;
  // The serving index and audit log: one writer of each per process.
  const connectors = new ConnectorService({
    store: runtime.connectors,
    registry: runtime.connectorRegistry,
    audit: runtime.audit,
    index: async () => ({ index: runtime.index, release: () => undefined }),
    ...runnerSchedules(runner),
  });
  await registerAdminApi(server, {
    authenticate: createAdminAuthenticator(authenticatorOptions),
    context: { config, audit: runtime.audit, channels: ChannelSettingsStore.in(runtime.dataDirectory), connectors, enqueueRun: (name) => runner.enqueueSync(name, 'manual'), status: () => collectStatus(config) },
    extraRoutes: options.extraRoutes ?? [],
  });
  await registerAdminConsole(server);
  const liveTokens = (await tokens.list()).filter((token) => !token.revokedAt).length;
  return { liveTokens, singleSignOn: authenticatorOptions.singleSignOn !== undefined, warnings, close: async () => ownRunner?.close() };
}

export { adminApiPrefix };

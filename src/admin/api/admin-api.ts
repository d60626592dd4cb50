import type { FastifyError, FastifyInstance } from 'fastify';
import { isDocentError, type ErrorCode } from '../../core/errors.js';
import type { AdminAuthenticator } from '../access/admin-authenticator.js';
import type { AdminApiContext } from './admin-api-context.js';
import { guardAdminRoutes, sendAdminError } from './admin-route-guard.js';
import { registerAuditRoutes } from './audit-routes.js';
import { registerChannelsRoutes } from './channels-routes.js';
import { registerConnectorsRoutes } from './connectors-routes.js';
import { registerFeedbackRoutes } from './feedback-routes.js';
import { registerIdentityRoutes } from './identity-routes.js';
import { registerModelsRoutes } from './models-routes.js';
import { registerSourcesRoutes } from './sources-routes.js';
import { registerStatusRoutes } from './status-routes.js';

export type { AdminApiContext } from './admin-api-context.js';

/** Registers one resource's routes; every route must declare its roles (the guard refuses others). */
export type AdminRoutes = (scope: FastifyInstance, context: AdminApiContext) => void;

export const adminApiPrefix = '/api/admin';

export interface AdminApiOptions {
  context: AdminApiContext;
  authenticate: AdminAuthenticator;
  /** Resources added by other parts of Docent (connectors), registered behind the same guard. */
  extraRoutes?: AdminRoutes[];
}

/** HTTP statuses of the Docent errors admin routes raise on purpose; anything else is a 500. */
const statusOfCode: Partial<Record<ErrorCode, number>> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  audit_record_not_found: 404,
  connector_not_found: 404,
  model_unavailable: 404,
  connector_busy: 409,
  model_integrity: 409,
  config_invalid: 500,
};

/**
 * The admin API under `/api/admin` on the server `docent serve` runs: one guarded scope
 * in which every route declares the roles that may call it (see `admin-route-guard.ts`).
 * Errors have the web chat's `WebErrorBody` shape.
 */
export async function registerAdminApi(app: FastifyInstance, options: AdminApiOptions): Promise<void> {
  const resources: AdminRoutes[] = [
    registerIdentityRoutes,
    registerStatusRoutes,
    registerSourcesRoutes,
    registerConnectorsRoutes,
    registerModelsRoutes,
    registerChannelsRoutes,
    registerAuditRoutes,
    registerFeedbackRoutes,
    ...(options.extraRoutes ?? []),
  ];
  await app.register(
    async (scope) => {
      guardAdminRoutes(scope, options.authenticate);
      scope.setErrorHandler((error: FastifyError, request, reply) => {
        if (!isDocentError(error)) throw error; // the web server's handler: body limits, bad JSON, 500s
        const statusCode = statusOfCode[error.code] ?? (error.retryable ? 503 : 500);
        if (statusCode >= 500) request.log.error({ err: error }, 'admin request failed');
        return sendAdminError(reply, statusCode, error.code, error.message);
      });
      for (const register of resources) register(scope, options.context);
    },
    { prefix: adminApiPrefix },
  );
}

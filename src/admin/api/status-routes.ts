import type { FastifyInstance } from 'fastify';
import { routeRoles } from '../access/admin-role.js';
import type { AdminApiContext } from './admin-api-context.js';

/** `GET /api/admin/status`: what `docent status --json` prints. */
export function registerStatusRoutes(scope: FastifyInstance, context: AdminApiContext): void {
  scope.get('/status', { config: { roles: routeRoles.everyone } }, async () => context.status());
}

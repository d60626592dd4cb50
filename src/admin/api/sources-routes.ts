import type { FastifyInstance } from 'fastify';
import { routeRoles } from '../access/admin-role.js';
import type { AdminApiContext } from './admin-api-context.js';

/** `GET /api/admin/sources`: the indexed sources (what channels can be restricted to) and their last runs. */
export function registerSourcesRoutes(scope: FastifyInstance, context: AdminApiContext): void {
  scope.get('/sources', { config: { roles: routeRoles.operationsReaders } }, async () => ({ sources: await context.sources.list() }));
}

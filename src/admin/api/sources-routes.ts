import type { FastifyInstance } from 'fastify';
import { routeRoles } from '../access/admin-role.js';
import type { AdminApiContext } from './admin-api-context.js';

/** `GET /api/admin/sources`: the source ids channels can be restricted to, and the connector behind each. */
export function registerSourcesRoutes(scope: FastifyInstance, context: AdminApiContext): void {
  scope.get('/sources', { config: { roles: routeRoles.operationsReaders } }, async () => ({
    sources: (await context.connectors.list()).map(({ sourceId, name, kind, location, state }) => ({ sourceId, connector: name, kind, location, state })),
  }));
}

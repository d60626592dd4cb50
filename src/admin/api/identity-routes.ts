import type { FastifyInstance } from 'fastify';
import { routeRoles } from '../access/admin-role.js';
import { adminIdentityOf } from './admin-route-guard.js';

/** `GET /api/admin/me`: who the credential belongs to, so the console shows only what the role may do. */
export function registerIdentityRoutes(scope: FastifyInstance): void {
  scope.get('/me', { config: { roles: routeRoles.everyone } }, async (request) => {
    const { name, role, via } = adminIdentityOf(request);
    return { name, role, via };
  });
}

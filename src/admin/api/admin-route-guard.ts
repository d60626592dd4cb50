import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { WebErrorBody } from '../../chat/web/web-server.js';
import { isDocentError } from '../../core/errors.js';
import type { AdminAuthenticator, AdminIdentity } from '../access/admin-authenticator.js';
import type { AdminRole } from '../access/admin-role.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Admin API routes: the roles that may call the route. A route without it is never served. */
    roles?: readonly AdminRole[];
  }
}

const identities = new WeakMap<FastifyRequest, AdminIdentity>();

/** Who made this admin request; set by the guard before any handler runs. */
export function adminIdentityOf(request: FastifyRequest): AdminIdentity {
  const identity = identities.get(request);
  // Unreachable behind the guard; failing loudly beats acting for nobody.
  if (!identity) throw new Error('admin route reached without an authenticated identity');
  return identity;
}

export function sendAdminError(reply: FastifyReply, statusCode: number, code: string, message: string): FastifyReply {
  const body: WebErrorBody = { error: { code, message } };
  return reply.code(statusCode).header('cache-control', 'no-store').send(body);
}

/** Whether a route that declares `declared` may be called with `role`: never when it declares nothing. */
export function roleMayCall(declared: readonly AdminRole[] | undefined, role: AdminRole): boolean {
  return declared !== undefined && declared.includes(role);
}

/**
 * Deny by default for every route in `scope`: a route must declare its roles
 * (`config: { roles }`) or the server does not start, and each request is authenticated
 * and checked against the route's roles before its body is even parsed: 401 without a
 * valid credential, 403 with one whose role the route does not name. Unknown paths in
 * the scope answer 401 to strangers too, so they cannot map the API.
 */
export function guardAdminRoutes(scope: FastifyInstance, authenticate: AdminAuthenticator): void {
  scope.addHook('onRoute', (route) => {
    const roles = route.config?.roles;
    if (!Array.isArray(roles) || roles.length === 0) {
      throw new Error(`admin route ${String(route.method)} ${route.url} declares no roles: every admin route must say who may call it`);
    }
  });

  scope.addHook('onRequest', async (request, reply) => {
    let identity: AdminIdentity;
    try {
      identity = await authenticate(request);
    } catch (error) {
      if (!isDocentError(error)) throw error;
      if (error.code === 'unauthenticated') return sendAdminError(reply.header('www-authenticate', 'Bearer realm="docent-admin"'), 401, 'unauthenticated', error.message);
      if (error.code === 'forbidden') return sendAdminError(reply, 403, 'forbidden', error.message);
      if (error.code === 'directory_unavailable') return sendAdminError(reply, 503, error.code, error.message);
      throw error;
    }
    identities.set(request, identity);
    if (request.is404) return;
    if (!roleMayCall(request.routeOptions.config.roles, identity.role)) {
      return sendAdminError(reply, 403, 'forbidden', `The ${identity.role} role may not ${request.method} ${request.routeOptions.url ?? request.url}.`);
    }
  });

  scope.addHook('onSend', async (_request, reply, payload) => {
    // Admin answers hold configuration and audit data: never kept by a browser or proxy cache.
    reply.header('cache-control', 'no-store');
    return payload;
  });

  scope.setNotFoundHandler((_request, reply) => sendAdminError(reply, 404, 'not_found', 'No such admin API route.'));
}

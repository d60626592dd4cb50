import type { FastifyRequest } from 'fastify';
import type { AdminActor } from '../../audit/admin-action.js';
import { proxyLoginIdentity, type ProxyLoginOptions } from '../../chat/web/proxy-login.js';
import type { AdminConfig } from '../../config/schema.js';
import type { Directory } from '../../core/directory.js';
import { DocentError, describeError, isDocentError } from '../../core/errors.js';
import { adminRoles, type AdminRole } from './admin-role.js';
import type { AdminTokenStore } from './admin-token-store.js';

/** Who is calling the admin API, and with which role. */
export interface AdminIdentity extends AdminActor {
  role: AdminRole;
  via: 'token' | 'sso';
}

/**
 * Resolves who a request is from. Throws `DocentError` `unauthenticated` (answered 401)
 * when it carries no credential or a bad one, `forbidden` (403) when the person is known
 * but has no role, and `directory_unavailable` (503) when their groups cannot be looked up.
 */
export type AdminAuthenticator = (request: FastifyRequest) => Promise<AdminIdentity>;

/** Admin roles for people signed in through the single sign-on proxy, by directory principals. */
export interface SingleSignOnRoles {
  login: ProxyLoginOptions;
  directory: Directory;
  roles: AdminConfig['roles'];
}

export interface AdminAuthenticatorOptions {
  tokens: AdminTokenStore;
  /** When set, a request without a token is resolved through the proxy login and the directory. */
  singleSignOn?: SingleSignOnRoles;
}

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearerToken(header: string): string | undefined {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
  return match?.[1];
}

/** The strongest role any of these principals is given. */
export function roleOf(principals: readonly string[], roles: AdminConfig['roles']): AdminRole | undefined {
  const held = new Set(principals.map((principal) => principal.toLowerCase()));
  return adminRoles.find((role) => roles[role].some((principal) => held.has(principal.toLowerCase())));
}

/**
 * A browser sends the proxy's session cookie with requests another site makes, so a
 * change asked for through single sign-on must come from the console's own pages.
 * (Tokens need no such check: a browser never adds an Authorization header by itself.)
 */
function assertSameSite(request: FastifyRequest): void {
  if (safeMethods.has(request.method)) return;
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) {
    if (site === 'same-origin') return;
    throw new DocentError('forbidden', 'Changes are accepted only from the admin console itself (this request came from another site).');
  }
  const origin = request.headers.origin;
  if (origin === undefined) return;
  const hosts = [request.headers.host, request.headers['x-forwarded-host']].flat().filter((host): host is string => typeof host === 'string');
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = '';
  }
  if (!hosts.some((host) => host.split(',')[0]!.trim() === originHost)) {
    throw new DocentError('forbidden', 'Changes are accepted only from the admin console itself (this request came from another site).');
  }
}

export function createAdminAuthenticator(options: AdminAuthenticatorOptions): AdminAuthenticator {
  const { tokens, singleSignOn } = options;
  return async (request) => {
    const authorization = request.headers.authorization;
    if (authorization !== undefined) {
      const presented = bearerToken(authorization);
      const stored = presented === undefined ? undefined : await tokens.authenticate(presented);
      if (!stored) throw new DocentError('unauthenticated', 'The admin token is not valid: it was mistyped, revoked, or is not a Docent admin token.');
      return { name: stored.name, role: stored.role, via: 'token' };
    }
    if (!singleSignOn) {
      throw new DocentError('unauthenticated', 'Send an admin token as "Authorization: Bearer <token>" (create one with `docent admin tokens create`).');
    }
    const identity = proxyLoginIdentity(request, singleSignOn.login);
    let principals: string[];
    try {
      principals = (await singleSignOn.directory.resolve(identity)).principals;
    } catch (error) {
      // Fail closed: without their groups nobody gets a role.
      request.log.warn({ err: error }, 'admin role lookup failed');
      throw isDocentError(error) && error.code === 'directory_unavailable'
        ? error
        : new DocentError('directory_unavailable', `Your groups could not be looked up in the directory (${describeError(error)}).`, { cause: error });
    }
    const role = roleOf([...principals, `user:${identity.userId}`], singleSignOn.roles);
    if (!role) throw new DocentError('forbidden', `You are signed in as ${identity.userId}, who has no role in the admin console (admin.roles).`);
    assertSameSite(request);
    return { name: identity.userId, role, via: 'sso' };
  };
}

import type { FastifyRequest } from 'fastify';
import type { ChatIdentity } from '../../core/directory.js';
import { DocentError } from '../../core/errors.js';
import type { AccessResolver } from '../../directory/access-resolver.js';
import type { WebAskerResolver } from './web-asker.js';

export interface ProxyLoginOptions {
  /** Header in which the signing-in reverse proxy (oauth2-proxy, Apache mod_auth_*, an SSO gateway) names the user. */
  userHeader: string;
  /** Header carrying the user's e-mail address, when the proxy sends one. */
  emailHeader?: string;
  /** Addresses of the proxies allowed to set those headers; anyone else could forge them. */
  trustedProxies: string[];
}

/** `::ffff:127.0.0.1` is how an IPv4 peer looks on a dual-stack socket. */
function plainAddress(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function headerValue(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  const first = Array.isArray(value) ? value[0] : value;
  const trimmed = first?.trim();
  return trimmed ? trimmed : undefined;
}

/**
 * Who the signing-in proxy says this request is from. Throws `unauthenticated` when the
 * request did not come from a trusted proxy or carries no user header.
 */
export function proxyLoginIdentity(request: FastifyRequest, options: ProxyLoginOptions): ChatIdentity {
  const peer = plainAddress(request.socket.remoteAddress ?? '');
  if (!options.trustedProxies.some((address) => plainAddress(address) === peer)) {
    throw new DocentError('unauthenticated', 'Sign in through your organisation\u2019s portal to use Docent (this request did not come through it).');
  }
  const userId = headerValue(request, options.userHeader);
  if (!userId) throw new DocentError('unauthenticated', 'Sign in through your organisation\u2019s portal to use Docent.');
  const identity: ChatIdentity = { platform: 'web', userId };
  const email = options.emailHeader ? headerValue(request, options.emailHeader) : undefined;
  if (email) identity.email = email;
  return identity;
}

/**
 * Web login through the organisation's single sign-on: a reverse proxy in front of
 * Docent signs the person in and names them in a header; Docent trusts that header only
 * from the proxy's own address and resolves the person to principals in the directory.
 * A request without it is refused rather than answered as anonymous, because on a
 * server that expects logins a missing header means the proxy was bypassed.
 */
export function proxyLoginAsker(options: ProxyLoginOptions, access: AccessResolver): WebAskerResolver {
  return async (request) => {
    const { asker, notice } = await access.asker(proxyLoginIdentity(request, options));
    return notice ? { asker, notice } : { asker };
  };
}

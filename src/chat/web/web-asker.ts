import type { FastifyRequest } from 'fastify';
import { everyone, type Asker } from '../../core/access.js';

/** Who is asking, and what they should know about how their access was decided. */
export interface ResolvedWebAsker {
  asker: Asker;
  /** Shown with the answer, e.g. that the directory could not be reached and only public documents were used. */
  notice?: string;
}

/**
 * Resolves who is asking from an HTTP request. Throws a `DocentError` `unauthenticated`
 * when the request carries no identity the server trusts; the web chat answers 401.
 */
export type WebAskerResolver = (request: FastifyRequest) => ResolvedWebAsker | Promise<ResolvedWebAsker>;

/**
 * Without a login configured, everybody is the local anonymous user and may read only
 * documents open to `everyone`.
 */
export function anonymousWebAsker(_request: FastifyRequest): ResolvedWebAsker {
  return { asker: { id: 'web:anonymous', principals: [everyone] } };
}

import type { FastifyRequest } from 'fastify';
import { everyone, type Asker } from '../../core/access.js';

/** Resolves who is asking from an HTTP request. */
export type WebAskerResolver = (request: FastifyRequest) => Asker | Promise<Asker>;

/**
 * The web chat has no login yet: everybody is the local anonymous user and may read only
 * documents open to `everyone`. Web login replaces this one function.
 */
export function anonymousWebAsker(_request: FastifyRequest): Asker {
  return { id: 'web:anonymous', principals: [everyone] };
}

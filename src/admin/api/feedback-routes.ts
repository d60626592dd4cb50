import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { reviewFeedback, type FeedbackReviewOptions } from '../../audit/feedback-review.js';
import { filterOf } from '../../audit/record-filter.js';
import { routeRoles } from '../access/admin-role.js';
import type { AdminApiContext } from './admin-api-context.js';
import { parseRequest } from './admin-request.js';

const reviewQuery = z
  .object({
    from: z.string().trim().min(1).max(100).optional(),
    to: z.string().trim().min(1).max(100).optional(),
    rating: z.enum(['up', 'down']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** `GET /api/admin/feedback`: 👍/👎 and comments beside the answers they rate, newest first. */
export function registerFeedbackRoutes(scope: FastifyInstance, context: AdminApiContext): void {
  scope.get('/feedback', { config: { roles: routeRoles.auditReaders } }, async (request) => {
    const query = parseRequest(reviewQuery, request.query, 'feedback review');
    const period = filterOf({ ...(query.from ? { from: query.from } : {}), ...(query.to ? { to: query.to } : {}) }, '');
    const options: FeedbackReviewOptions = { limit: query.limit };
    if (period.from) options.from = period.from;
    if (period.to) options.to = period.to;
    if (query.rating) options.rating = query.rating;
    return reviewFeedback(context.audit.paths.directory, options);
  });
}

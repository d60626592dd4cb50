import type { z } from 'zod';
import { DocentError } from '../../core/errors.js';

/** Validates a request part, turning the first problem into a 400 that names the field. */
export function parseRequest<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new DocentError('invalid_request', `${what}: ${field}${issue?.message ?? 'not valid'}`);
}

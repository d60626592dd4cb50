import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { actorLabel, recordAdminAction } from '../../audit/admin-action.js';
import { exportRecords } from '../../audit/export-records.js';
import { placeHold, releaseHold } from '../../audit/legal-holds.js';
import { describeFilter, filterOf, type FilterOptions } from '../../audit/record-filter.js';
import { searchRecords } from '../../audit/search-records.js';
import { verifyLog } from '../../audit/verify-log.js';
import { contentDisposition } from '../../chat/web/content-disposition.js';
import { routeRoles } from '../access/admin-role.js';
import type { AdminApiContext } from './admin-api-context.js';
import { parseRequest } from './admin-request.js';
import { adminIdentityOf } from './admin-route-guard.js';

const filterFields = {
  from: z.string().trim().min(1).max(100).optional(),
  to: z.string().trim().min(1).max(100).optional(),
  user: z.string().trim().min(1).max(500).optional(),
  channel: z.string().trim().min(1).max(500).optional(),
  document: z.string().trim().min(1).max(2000).optional(),
  text: z.string().trim().min(1).max(2000).optional(),
  type: z.enum(['answer', 'feedback', 'admin', 'repair', 'retention']).optional(),
};

const searchQuery = z.object({ ...filterFields, limit: z.coerce.number().int().min(1).max(1000).default(50) }).strict();

const exportQuery = z
  .object({
    ...filterFields,
    // A period is required, as on the command line: an export names what it covers.
    from: z.string({ error: 'give the first day of the period (from)' }).trim().min(1).max(100),
    to: z.string({ error: 'give the last day of the period (to)' }).trim().min(1).max(100),
    format: z.enum(['csv', 'jsonl'], { error: 'format must be csv or jsonl' }),
  })
  .strict();

const holdBody = z.object({ recordId: z.string().trim().min(1).max(200), reason: z.string().trim().min(1, 'a legal hold needs a reason').max(2000) }).strict();
const releaseBody = z.object({ reason: z.string().trim().min(1).max(2000).optional() }).strict();

function filterOptionsOf(query: Partial<Record<keyof typeof filterFields, string>>): FilterOptions {
  const options: FilterOptions = {};
  for (const key of Object.keys(filterFields) as (keyof typeof filterFields)[]) {
    const value = query[key];
    if (value !== undefined) (options as Record<string, string>)[key] = value;
  }
  return options;
}

/**
 * The audit log for auditors: search, export (streamed, and itself recorded before any
 * record leaves, exactly as `docent audit export` to standard output is), verify, and
 * legal holds for admins.
 */
export function registerAuditRoutes(scope: FastifyInstance, context: AdminApiContext): void {
  const directory = context.audit.paths.directory;

  scope.get('/audit/records', { config: { roles: routeRoles.auditReaders } }, async (request) => {
    const query = parseRequest(searchQuery, request.query, 'audit search');
    const result = await searchRecords(directory, filterOf(filterOptionsOf(query), ''), query.limit);
    return { matched: result.matched, unreadable: result.unreadable, records: result.records.map((stored) => stored.record) };
  });

  scope.get('/audit/export', { config: { roles: routeRoles.auditReaders } }, async (request, reply) => {
    const query = parseRequest(exportQuery, request.query, 'audit export');
    const filter = filterOf(filterOptionsOf(query), '');
    // A download cannot be taken back: recorded before any record leaves.
    await recordAdminAction(context.audit, {
      actor: adminIdentityOf(request),
      action: 'audit.export',
      target: 'audit log',
      details: { format: query.format, filter: describeFilter(filter), destination: 'admin API download' },
    });
    const body = new PassThrough();
    const written = exportRecords(directory, filter, query.format, async (text) => {
      if (body.destroyed) throw new Error('the client closed the download');
      if (!body.write(text)) await Promise.race([once(body, 'drain'), once(body, 'close')]);
    });
    written.then(
      () => body.end(),
      (error: unknown) => {
        request.log.error({ err: error }, 'audit export stopped');
        body.destroy(error instanceof Error ? error : new Error(String(error)));
      },
    );
    const fileName = `docent-audit-${query.from}-${query.to}.${query.format}`.replace(/[^A-Za-z0-9._-]/g, '_');
    return reply
      .header('content-type', query.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8')
      .header('content-disposition', contentDisposition('attachment', fileName))
      .send(body);
  });

  scope.get('/audit/verify', { config: { roles: routeRoles.auditReaders } }, async () => verifyLog(directory));

  scope.post('/audit/holds', { config: { roles: routeRoles.administrators } }, async (request, reply) => {
    const body = parseRequest(holdBody, request.body, 'legal hold');
    const identity = adminIdentityOf(request);
    const record = await placeHold(context.audit, body.recordId, body.reason, actorLabel(identity), { actorRole: identity.role, target: `record ${body.recordId}` });
    return reply.code(201).send({ recordId: body.recordId, holdRecordId: record.id, sequence: record.sequence });
  });

  scope.delete<{ Params: { recordId: string } }>('/audit/holds/:recordId', { config: { roles: routeRoles.administrators } }, async (request) => {
    const body = parseRequest(releaseBody, request.body, 'releasing a legal hold');
    const identity = adminIdentityOf(request);
    const record = await releaseHold(context.audit, request.params.recordId, body.reason, actorLabel(identity), { actorRole: identity.role, target: `record ${request.params.recordId}` });
    return { recordId: request.params.recordId, releaseRecordId: record.id, sequence: record.sequence };
  });
}

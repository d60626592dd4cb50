import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { DocentError, isDocentError } from '../../core/errors.js';
import { connectorScheduleSchema } from '../../pipeline/connector-schedule.js';
import { routeRoles } from '../access/admin-role.js';
import type { AdminApiContext } from './admin-api-context.js';
import { parseRequest } from './admin-request.js';
import { adminIdentityOf } from './admin-route-guard.js';

const nameParameters = z.object({ name: z.string().min(1).max(100) }).strict();
const showQuery = z.object({ runs: z.coerce.number().int().min(1).max(100).optional() }).strict();
const settings = z.record(z.string(), z.unknown());

const createBody = z
  .object({
    name: z.string().min(1).max(100),
    kind: z.string().min(1).max(100),
    settings: settings.default({}),
    schedule: connectorScheduleSchema.optional(),
    paused: z.boolean().optional(),
  })
  .strict();

const changeBody = z
  .object({ settings: settings.optional(), schedule: connectorScheduleSchema.nullable().optional() })
  .strict()
  .refine((body) => body.settings !== undefined || body.schedule !== undefined, 'give settings, schedule, or both (schedule: null runs it only when asked)');

/** Settings an admin sent that the connector's kind refuses are the request's fault, not the server's. */
async function asRequest<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isDocentError(error) && error.code === 'config_invalid') throw new DocentError('invalid_request', error.message, { cause: error });
    throw error;
  }
}

/**
 * Connectors as `docent connectors` manages them, through the same service: list, show,
 * runs, failures for readers; create, edit, run, pause, resume and remove for admins,
 * each recorded in the audit log before it takes effect. A run is queued with the job
 * layer (202, with its run id; a run already queued or running is joined); its progress
 * and end are in the connector's runs.
 */
export function registerConnectorsRoutes(scope: FastifyInstance, context: AdminApiContext): void {
  const { connectors } = context;
  const readers = { config: { roles: routeRoles.operationsReaders } };
  const administrators = { config: { roles: routeRoles.administrators } };

  scope.get('/connectors', readers, async () => ({
    kinds: connectors.registry.definitions().map((definition) => ({ kind: definition.kind, description: definition.description })),
    connectors: await connectors.list(),
  }));

  scope.get('/connectors/:name', readers, async (request) => {
    const { name } = parseRequest(nameParameters, request.params, 'connector');
    const { runs } = parseRequest(showQuery, request.query, 'connector');
    return connectors.show(name, runs ?? 5);
  });

  scope.get('/connectors/:name/runs', readers, async (request) => {
    const { name } = parseRequest(nameParameters, request.params, 'connector');
    const detail = await connectors.show(name);
    return { name, runs: detail.runs };
  });

  scope.get('/connectors/:name/failures', readers, async (request) => {
    const { name } = parseRequest(nameParameters, request.params, 'connector');
    const detail = await connectors.show(name);
    const latest = detail.runs.find((run) => run.state !== 'running');
    return {
      name,
      needsAttention: detail.needsAttention ?? null,
      /** The newest finished run's document failures and, when the whole run failed, why. */
      run: latest ? { id: latest.id, state: latest.state, startedAt: latest.startedAt, finishedAt: latest.finishedAt ?? null, error: latest.error ?? null } : null,
      failures: latest?.failures ?? [],
      failuresOmitted: latest?.failuresOmitted ?? 0,
    };
  });

  scope.post('/connectors', administrators, async (request, reply) => {
    const body = parseRequest(createBody, request.body, 'connector');
    const request_: Parameters<typeof connectors.add>[1] = { name: body.name, kind: body.kind, settings: body.settings, schedule: body.schedule };
    if (body.paused !== undefined) request_.paused = body.paused;
    const added = await asRequest(() => connectors.add(adminIdentityOf(request), request_));
    return reply.code(201).send(added);
  });

  scope.patch('/connectors/:name', administrators, async (request) => {
    const { name } = parseRequest(nameParameters, request.params, 'connector');
    const body = parseRequest(changeBody, request.body, 'connector change');
    const change: Parameters<typeof connectors.configure>[2] = {};
    if (body.settings) change.settings = body.settings;
    if (body.schedule !== undefined) change.schedule = body.schedule;
    return asRequest(() => connectors.configure(adminIdentityOf(request), name, change));
  });

  scope.post('/connectors/:name/run', administrators, async (request, reply) => {
    const { name } = parseRequest(nameParameters, request.params, 'connector');
    const queued = await connectors.run(adminIdentityOf(request), name, () => context.enqueueRun(name));
    return reply.code(202).send({ name, ...queued });
  });

  for (const [verb, paused] of [['pause', true], ['resume', false]] as const) {
    scope.post(`/connectors/:name/${verb}`, administrators, async (request) => {
      const { name } = parseRequest(nameParameters, request.params, 'connector');
      return connectors.setPaused(adminIdentityOf(request), name, paused);
    });
  }

  scope.delete('/connectors/:name', administrators, async (request) => {
    const { name } = parseRequest(nameParameters, request.params, 'connector');
    return connectors.remove(adminIdentityOf(request), name);
  });
}

import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import Fastify from 'fastify';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminRole } from '../../src/admin/access/admin-role.js';
import { guardAdminRoutes } from '../../src/admin/api/admin-route-guard.js';
import { acquireFileLock } from '../../src/pipeline/file-lock.js';
import { DocentError } from '../../src/core/errors.js';
import type { AuditRecord } from '../../src/audit/audit-record.js';
import { checkLine } from '../../src/audit/record-chain.js';
import { searchRecords } from '../../src/audit/search-records.js';
import { verifyLog } from '../../src/audit/verify-log.js';
import type { WebErrorBody } from '../../src/chat/web/web-server.js';
import { directorySchema } from '../../src/config/schema.js';
import { createDirectory } from '../../src/directory/create-directory.js';
import { startAdminSite, type AdminSite } from '../support/admin-site.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

const roles: AdminRole[] = ['admin', 'auditor', 'viewer'];

interface RouteCase {
  name: string;
  request: (site: AdminSite) => InjectOptions;
  /** Roles allowed; every other role must get 403. */
  allowed: AdminRole[];
  /** Status of an allowed call. */
  success: number;
  /** What an allowed call must return, beyond its status. */
  check?: (response: LightMyRequestResponse, site: AdminSite) => void | Promise<void>;
}

const today = new Date().toISOString().slice(0, 10);

/** Every admin route, with who may call it. Order matters for admin: the hold is placed, then released. */
const routes: RouteCase[] = [
  { name: 'GET /me', request: () => ({ method: 'GET', url: '/api/admin/me' }), allowed: ['admin', 'auditor', 'viewer'], success: 200, check: (response) => expect(response.json()).toHaveProperty('via', 'token') },
  {
    name: 'GET /status',
    request: () => ({ method: 'GET', url: '/api/admin/status' }),
    allowed: ['admin', 'auditor', 'viewer'],
    success: 200,
    check: (response) => expect(response.json()).toMatchObject({ index: { documents: 2, chunks: 2 }, failures: 1 }),
  },
  { name: 'GET /sources', request: () => ({ method: 'GET', url: '/api/admin/sources' }), allowed: ['admin', 'viewer'], success: 200, check: (response) => expect(response.json().sources).toEqual([{ sourceId: 'file-share:handbook', connector: 'handbook', kind: 'file-share', location: expect.stringMatching(/handbook$/), state: 'ok' }]) },
  {
    name: 'GET /connectors',
    request: () => ({ method: 'GET', url: '/api/admin/connectors' }),
    allowed: ['admin', 'viewer'],
    success: 200,
    check: (response) => {
      const body = response.json();
      expect(body.kinds.map((kind: { kind: string }) => kind.kind)).toContain('file-share');
      expect(body.connectors.find((connector: { name: string }) => connector.name === 'handbook')).toMatchObject({ kind: 'file-share', sourceId: 'file-share:handbook', lastRun: { state: 'succeeded', counts: { seen: 3, failed: 1 } } });
    },
  },
  {
    name: 'POST /connectors',
    request: (site) => ({ method: 'POST', url: '/api/admin/connectors', payload: { name: 'policies', kind: 'file-share', settings: { path: site.folder, permissions: 'everyone' }, schedule: { everySeconds: 3600 } } }),
    allowed: ['admin'],
    success: 201,
    check: (response) => expect(response.json()).toMatchObject({ name: 'policies', sourceId: 'file-share:policies', schedule: { everySeconds: 3600 }, paused: false, runs: [] }),
  },
  { name: 'GET /connectors/:name', request: () => ({ method: 'GET', url: '/api/admin/connectors/handbook?runs=1' }), allowed: ['admin', 'viewer'], success: 200, check: (response) => expect(response.json()).toMatchObject({ name: 'handbook', state: 'ok', runs: [{ state: 'succeeded' }] }) },
  { name: 'GET /connectors/:name/runs', request: () => ({ method: 'GET', url: '/api/admin/connectors/handbook/runs' }), allowed: ['admin', 'viewer'], success: 200, check: (response) => expect(response.json().runs.at(-1)).toMatchObject({ trigger: 'manual', state: 'succeeded' }) },
  {
    name: 'GET /connectors/:name/failures',
    request: () => ({ method: 'GET', url: '/api/admin/connectors/handbook/failures' }),
    allowed: ['admin', 'viewer'],
    success: 200,
    check: (response) => expect(response.json()).toMatchObject({ name: 'handbook', needsAttention: null, failures: [{ location: expect.stringContaining('scan.pdf') }] }),
  },
  {
    name: 'PATCH /connectors/:name',
    request: () => ({ method: 'PATCH', url: '/api/admin/connectors/policies', payload: { settings: { exclude: ['archive/**'] }, schedule: null } }),
    allowed: ['admin'],
    success: 200,
    check: (response) => {
      expect(response.json()).toMatchObject({ name: 'policies', config: { exclude: ['archive/**'], permissions: 'everyone' } });
      expect(response.json().schedule).toBeUndefined();
    },
  },
  { name: 'POST /connectors/:name/pause', request: () => ({ method: 'POST', url: '/api/admin/connectors/policies/pause' }), allowed: ['admin'], success: 200, check: (response) => expect(response.json()).toMatchObject({ paused: true }) },
  { name: 'POST /connectors/:name/resume', request: () => ({ method: 'POST', url: '/api/admin/connectors/policies/resume' }), allowed: ['admin'], success: 200, check: (response) => expect(response.json()).toMatchObject({ paused: false }) },
  { name: 'DELETE /connectors/:name', request: () => ({ method: 'DELETE', url: '/api/admin/connectors/policies' }), allowed: ['admin'], success: 200, check: (response) => expect(response.json()).toEqual({ name: 'policies', sourceId: 'file-share:policies', documentsDeleted: 0 }) },
  {
    name: 'POST /connectors/:name/run',
    request: () => ({ method: 'POST', url: '/api/admin/connectors/handbook/run' }),
    allowed: ['admin'],
    success: 202,
    check: async (response, site) => {
      const { runId, joined } = response.json();
      expect(joined).toBe(false);
      // Queued with the job layer; the run ends in the connector's history.
      await expect.poll(async () => (await site.store.get('handbook'))!.runs.find((entry) => entry.id === runId)?.state, { timeout: 30_000 }).toBe('succeeded');
      expect((await site.store.get('handbook'))!.runs[0]).toMatchObject({ id: runId, trigger: 'manual', counts: { seen: 3, unchanged: 2, failed: 1 } });
    },
  },
  { name: 'GET /models', request: () => ({ method: 'GET', url: '/api/admin/models' }), allowed: ['admin', 'viewer'], success: 200, check: (response) => expect(response.json()).toMatchObject({ configured: { embedding: 'use-lite' }, models: [] }) },
  { name: 'POST /models/verify', request: () => ({ method: 'POST', url: '/api/admin/models/verify', payload: {} }), allowed: ['admin'], success: 200, check: (response) => expect(response.json()).toEqual({ ok: true, checks: [] }) },
  { name: 'GET /channels', request: () => ({ method: 'GET', url: '/api/admin/channels' }), allowed: ['admin', 'viewer'], success: 200, check: (response) => expect(response.json()).toHaveProperty('defaultAudience', 'common') },
  {
    name: 'PUT /channels/:platform/:scope/:id',
    request: () => ({ method: 'PUT', url: '/api/admin/channels/slack/channel/C0HR', payload: { sourceIds: ['file-share:handbook'], audience: 'public' } }),
    allowed: ['admin'],
    success: 200,
    check: (response) => expect(response.json()).toMatchObject({ setting: { platform: 'slack', scope: 'channel', id: 'C0HR', sourceIds: ['file-share:handbook'], audience: 'public' }, warnings: [] }),
  },
  { name: 'DELETE /channels/:platform/:scope/:id', request: () => ({ method: 'DELETE', url: '/api/admin/channels/slack/channel/C0HR' }), allowed: ['admin'], success: 200, check: (response) => expect(response.json()).toEqual({ removed: true }) },
  { name: 'GET /audit/records', request: () => ({ method: 'GET', url: '/api/admin/audit/records?type=answer' }), allowed: ['admin', 'auditor'], success: 200, check: (response) => expect(response.json().matched).toBe(2) },
  {
    name: 'GET /audit/export',
    request: () => ({ method: 'GET', url: `/api/admin/audit/export?format=jsonl&from=${today}&to=${today}&type=answer` }),
    allowed: ['admin', 'auditor'],
    success: 200,
    check: (response) => expect(response.body.trim().split('\n')).toHaveLength(2),
  },
  { name: 'GET /audit/verify', request: () => ({ method: 'GET', url: '/api/admin/audit/verify' }), allowed: ['admin', 'auditor'], success: 200, check: (response) => expect(response.json()).toMatchObject({ ok: true }) },
  {
    name: 'POST /audit/holds',
    request: (site) => ({ method: 'POST', url: '/api/admin/audit/holds', payload: { recordId: site.seeded[1]!.id, reason: 'Case 2026-17' } }),
    allowed: ['admin'],
    success: 201,
    check: (response, site) => expect(response.json()).toMatchObject({ recordId: site.seeded[1]!.id }),
  },
  {
    name: 'DELETE /audit/holds/:recordId',
    request: (site) => ({ method: 'DELETE', url: `/api/admin/audit/holds/${site.seeded[1]!.id}` }),
    allowed: ['admin'],
    success: 200,
    check: (response, site) => expect(response.json()).toMatchObject({ recordId: site.seeded[1]!.id }),
  },
  {
    name: 'GET /feedback',
    request: () => ({ method: 'GET', url: '/api/admin/feedback' }),
    allowed: ['admin', 'auditor'],
    success: 200,
    check: (response) => expect(response.json()).toMatchObject({ counts: { up: 1, down: 1 }, items: [{ rating: 'down', answer: { question: 'Where is the VPN guide?' } }, { rating: 'up' }] }),
  },
];

function withToken(options: InjectOptions, token: string | undefined): InjectOptions {
  return token === undefined ? options : { ...options, headers: { ...options.headers, authorization: `Bearer ${token}` } };
}

describe('admin API: every route for every role', () => {
  let site: AdminSite;

  beforeAll(async () => {
    site = await startAdminSite();
  });
  afterAll(async () => site?.close());

  describe.each(roles)('as %s', (role) => {
    it.each(routes)('$name', async (route) => {
      const response = await site.app.inject(withToken(route.request(site), site.tokenFor[role]));
      if (route.allowed.includes(role)) {
        expect(response.statusCode, response.body).toBe(route.success);
        await route.check?.(response, site);
      } else {
        expect(response.statusCode, response.body).toBe(403);
        expect(response.json<WebErrorBody>().error.code).toBe('forbidden');
      }
      expect(response.headers['cache-control']).toBe('no-store');
    });
  });

  it.each(routes)('$name: 401 without a token and with a bad one', async (route) => {
    const anonymous = await site.app.inject(route.request(site));
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json<WebErrorBody>().error.code).toBe('unauthenticated');
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="docent-admin"');

    const forged = site.tokenFor.admin.slice(0, -4) + (site.tokenFor.admin.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    for (const header of [`Bearer ${forged}`, 'Bearer nonsense', `Basic ${Buffer.from('admin:admin').toString('base64')}`, site.tokenFor.admin]) {
      const response = await site.app.inject({ ...route.request(site), headers: { authorization: header } });
      expect(response.statusCode, header).toBe(401);
      expect(response.json<WebErrorBody>().error.code).toBe('unauthenticated');
    }
  });
});

describe('admin API behaviour', () => {
  let site: AdminSite;

  beforeAll(async () => {
    site = await startAdminSite();
  });
  afterAll(async () => site?.close());

  const call = (options: InjectOptions, role: AdminRole = 'admin') => site.app.inject(withToken(options, site.tokenFor[role]));
  const adminRecords = async (): Promise<AuditRecord[]> => (await searchRecords(site.audit.paths.directory, { type: 'admin' })).records.map((stored) => stored.record);

  it('records every change before answering: who (token name and role), what and the target', async () => {
    const before = (await adminRecords()).length;
    const set = await call({ method: 'PUT', url: '/api/admin/channels/teams/team/T-FINANCE', payload: { sourceIds: ['folder:finance'] } });
    expect(set.statusCode).toBe(200);
    // Unknown sources are accepted (a connector may add them later) but called out.
    expect(set.json().warnings).toEqual(['no source has been indexed yet under folder:finance']);
    const removed = await call({ method: 'DELETE', url: '/api/admin/channels/teams/team/T-FINANCE' });
    expect(removed.json()).toEqual({ removed: true });

    const records = (await adminRecords()).slice(before);
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ actor: 'token:admin-token', action: 'channels.set', details: { actorRole: 'admin', target: 'teams team T-FINANCE', sourceIds: ['folder:finance'], audience: null } });
    expect(records[1]).toMatchObject({ actor: 'token:admin-token', action: 'channels.remove', details: { actorRole: 'admin', target: 'teams team T-FINANCE' } });
    expect((await verifyLog(site.audit.paths.directory)).ok).toBe(true);
  });

  it('manages a connector through the same service as the command, recording each change with the settings before and after', async () => {
    const before = (await adminRecords()).length;
    const created = await call({ method: 'POST', url: '/api/admin/connectors', payload: { name: 'policies', kind: 'file-share', settings: { path: site.folder, permissions: 'everyone' } } });
    expect(created.statusCode, created.body).toBe(201);
    const started = await call({ method: 'POST', url: '/api/admin/connectors/policies/run' });
    expect(started.statusCode).toBe(202);
    const runId = started.json().runId as string;
    await expect.poll(async () => (await site.store.get('policies'))!.runs.find((run) => run.id === runId)?.state, { timeout: 30_000 }).toBe('succeeded');
    const failures = await call({ method: 'GET', url: '/api/admin/connectors/policies/failures' }, 'viewer');
    expect(failures.json()).toMatchObject({ run: { id: runId, state: 'succeeded' }, failures: [{ code: expect.any(String), location: expect.stringContaining('scan.pdf') }] });
    const changed = await call({ method: 'PATCH', url: '/api/admin/connectors/policies', payload: { settings: { include: ['*.md'] }, schedule: { cron: '0 3 * * *' } } });
    expect(changed.json()).toMatchObject({ config: { path: site.folder, include: ['*.md'] }, schedule: { cron: '0 3 * * *' } });
    const listed = await call({ method: 'GET', url: '/api/admin/connectors' }, 'viewer');
    expect(listed.json().connectors.find((connector: { name: string }) => connector.name === 'policies')).toMatchObject({ state: 'ok', nextRun: expect.any(String) });
    const removed = await call({ method: 'DELETE', url: '/api/admin/connectors/policies' });
    expect(removed.json()).toEqual({ name: 'policies', sourceId: 'file-share:policies', documentsDeleted: 2 });
    expect((await call({ method: 'GET', url: '/api/admin/connectors/policies' })).statusCode).toBe(404);

    const records = (await adminRecords()).slice(before);
    expect(records.map((record) => record.type === 'admin' && record.action)).toEqual(['connector.add', 'connector.run', 'connector.configure', 'connector.remove']);
    expect(records[0]).toMatchObject({ actor: 'token:admin-token', details: { actorRole: 'admin', target: 'connector policies', name: 'policies', kind: 'file-share', sourceId: 'file-share:policies', config: { path: site.folder } } });
    expect(records[2]).toMatchObject({ details: { previousConfig: { path: site.folder, permissions: 'everyone' }, config: { include: ['*.md'] }, schedule: { cron: '0 3 * * *' } } });
    expect(records[3]).toMatchObject({ details: { documentsDeleted: 2 } });
  });

  it('refuses bad connector requests with the reason, joins runs already queued, and never removes a running connector', async () => {
    const relative = await call({ method: 'POST', url: '/api/admin/connectors', payload: { name: 'relative', kind: 'file-share', settings: { path: 'docs' } } });
    expect(relative.statusCode).toBe(400);
    expect(relative.json<WebErrorBody>().error).toEqual({ code: 'invalid_request', message: 'invalid file-share settings: path: must be an absolute path' });
    const unknownKind = await call({ method: 'POST', url: '/api/admin/connectors', payload: { name: 'wiki', kind: 'sharepoint-2003' } });
    expect(unknownKind.statusCode).toBe(400);
    expect(unknownKind.json<WebErrorBody>().error.message).toContain('there is no connector of kind "sharepoint-2003"');
    const badName = await call({ method: 'POST', url: '/api/admin/connectors', payload: { name: 'Bad Name', kind: 'file-share', settings: { path: site.folder } } });
    expect(badName.statusCode).toBe(400);
    const badSchedule = await call({ method: 'PATCH', url: '/api/admin/connectors/handbook', payload: { schedule: { cron: 'every day' } } });
    expect(badSchedule.statusCode).toBe(400);
    expect(badSchedule.json<WebErrorBody>().error.message).toContain('schedule');
    const missing = await call({ method: 'POST', url: '/api/admin/connectors/nothing-here/run' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json<WebErrorBody>().error.code).toBe('connector_not_found');

    // Asked twice while the first is queued or running: the second joins it; both asks are recorded.
    const before = (await adminRecords()).length;
    const [first, second] = await Promise.all([call({ method: 'POST', url: '/api/admin/connectors/handbook/run' }), call({ method: 'POST', url: '/api/admin/connectors/handbook/run' })]);
    expect([first.json().joined, second.json().joined].sort()).toEqual([false, true]);
    expect(second.json().runId).toBe(first.json().runId);
    await expect.poll(async () => (await site.store.get('handbook'))!.runs.find((entry) => entry.id === first.json().runId)?.state, { timeout: 30_000 }).toBe('succeeded');
    expect((await adminRecords()).slice(before).map((record) => record.type === 'admin' && record.action)).toEqual(['connector.run', 'connector.run']);

    // Not removed while a run holds it (another process here).
    const lock = await acquireFileLock(path.join(site.dataDirectory, 'state', 'runs', 'handbook.lock'), { waitMs: 0, busy: () => new DocentError('internal', 'test could not take the lock') });
    try {
      const removing = await call({ method: 'DELETE', url: '/api/admin/connectors/handbook' });
      expect(removing.statusCode).toBe(409);
      expect(removing.json<WebErrorBody>().error.code).toBe('connector_busy');
    } finally {
      await lock.release();
    }
  });

  it('keeps the job layer\'s schedule in line with the connector\'s', async () => {
    const created = await call({ method: 'POST', url: '/api/admin/connectors', payload: { name: 'nightly', kind: 'file-share', settings: { path: site.folder }, schedule: { cron: '0 3 * * *' } } });
    expect(created.statusCode).toBe(201);
    const next = async () => site.runner.nextRun('nightly');
    expect((await next())?.getHours()).toBe(3);
    await call({ method: 'POST', url: '/api/admin/connectors/nightly/pause' });
    expect(await next()).toBeUndefined();
    expect((await call({ method: 'GET', url: '/api/admin/connectors/nightly' })).json().nextRun).toBeUndefined();
    await call({ method: 'POST', url: '/api/admin/connectors/nightly/resume' });
    await call({ method: 'PATCH', url: '/api/admin/connectors/nightly', payload: { schedule: { everySeconds: 7200 } } });
    expect(await next()).toBeDefined();
    expect((await call({ method: 'GET', url: '/api/admin/connectors/nightly' })).json().nextRun).toBe((await next())!.toISOString());
    await call({ method: 'DELETE', url: '/api/admin/connectors/nightly' });
    expect(await next()).toBeUndefined();
  });

  it('streams an export as a download and records it first, like the command', async () => {
    const csv = await call({ method: 'GET', url: `/api/admin/audit/export?format=csv&from=${today}&to=${today}&type=feedback` }, 'auditor');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toContain(`attachment; filename="docent-audit-${today}-${today}.csv"`);
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^sequence,id,time,type,/);
    expect(lines).toHaveLength(3);

    const jsonl = await call({ method: 'GET', url: `/api/admin/audit/export?format=jsonl&from=${today}&to=${today}&type=answer` }, 'auditor');
    // The stored lines verbatim: each still checks against its own hash.
    for (const line of jsonl.body.trim().split('\n')) expect(checkLine(Buffer.from(line)).ok).toBe(true);

    const exports = (await adminRecords()).filter((record) => record.type === 'admin' && record.action === 'audit.export');
    expect(exports.at(-1)).toMatchObject({ actor: 'token:auditor-token', details: { actorRole: 'auditor', format: 'jsonl', destination: 'admin API download', filter: { type: 'answer' } } });
    expect(exports.at(-2)).toMatchObject({ details: { format: 'csv', filter: { type: 'feedback' } } });
  });

  it('places and releases legal holds as the command does, naming the token', async () => {
    const recordId = site.seeded[0]!.id;
    expect((await call({ method: 'POST', url: '/api/admin/audit/holds', payload: { recordId, reason: 'Matter 42' } })).statusCode).toBe(201);
    const again = await call({ method: 'POST', url: '/api/admin/audit/holds', payload: { recordId, reason: 'Matter 42' } });
    expect(again.statusCode).toBe(400);
    expect(again.json<WebErrorBody>().error.message).toContain('already under legal hold');
    expect((await call({ method: 'DELETE', url: `/api/admin/audit/holds/${recordId}`, payload: { reason: 'Matter closed' } })).statusCode).toBe(200);
    const records = (await adminRecords()).filter((record) => record.type === 'admin' && record.action.startsWith('audit.'));
    expect(records.slice(-2)).toMatchObject([
      { actor: 'token:admin-token', action: 'audit.hold', details: { recordId, reason: 'Matter 42', actorRole: 'admin', target: `record ${recordId}` } },
      { actor: 'token:admin-token', action: 'audit.release', details: { recordId, reason: 'Matter closed', actorRole: 'admin' } },
    ]);
  });

  it('searches the audit log with filters', async () => {
    const byUser = await call({ method: 'GET', url: '/api/admin/audit/records?user=U456&type=answer' }, 'auditor');
    expect(byUser.json().records.map((record: AuditRecord) => record.type === 'answer' && record.question)).toEqual(['Where is the VPN guide?']);
    const byText = await call({ method: 'GET', url: '/api/admin/audit/records?text=vpn&type=answer' }, 'auditor');
    expect(byText.json()).toMatchObject({ matched: 1, records: [{ id: site.seeded[1]!.id }] });
    // The limit keeps the newest matches and still counts them all.
    const limited = await call({ method: 'GET', url: '/api/admin/audit/records?text=expense&type=answer&limit=1' }, 'auditor');
    expect(limited.json()).toMatchObject({ matched: 2, records: [{ id: site.seeded[1]!.id }] });
    const byChannel = await call({ method: 'GET', url: '/api/admin/audit/records?channel=C-IT' }, 'auditor');
    expect(byChannel.json().matched).toBe(1);
  });

  it('answers bad input with 400 and the field, in the web error shape', async () => {
    const cases: Array<[InjectOptions, RegExp]> = [
      [{ method: 'GET', url: '/api/admin/audit/records?from=yesterday' }, /from yesterday: expected a date/],
      [{ method: 'GET', url: '/api/admin/audit/records?limit=0' }, /limit/],
      [{ method: 'GET', url: '/api/admin/audit/records?colour=red' }, /colour/],
      [{ method: 'GET', url: `/api/admin/audit/export?format=pdf&from=${today}&to=${today}` }, /format must be csv or jsonl/],
      [{ method: 'GET', url: '/api/admin/audit/export?format=csv' }, /from/],
      [{ method: 'GET', url: '/api/admin/audit/records?from=2026-12-01&to=2026-11-01' }, /from 2026-12-01 is after to 2026-11-01/],
      [{ method: 'PUT', url: '/api/admin/channels/slack/channel/C1', payload: {} }, /give sourceIds, audience, or both/],
      [{ method: 'PUT', url: '/api/admin/channels/slack/channel/C1', payload: { sourceIds: [] } }, /sourceIds: name at least one source/],
      [{ method: 'PUT', url: '/api/admin/channels/slack/everywhere/C1', payload: { audience: 'public' } }, /scope/],
      [{ method: 'POST', url: '/api/admin/audit/holds', payload: { recordId: 'no-such-record', reason: 'x' } }, /no record with id no-such-record/],
      [{ method: 'POST', url: '/api/admin/audit/holds', payload: { recordId: 'x', reason: '  ' } }, /a legal hold needs a reason/],
    ];
    for (const [options, message] of cases) {
      const response = await call(options);
      expect([400, 404], `${options.url}: ${response.body}`).toContain(response.statusCode);
      const body = response.json<WebErrorBody>();
      expect(Object.keys(body)).toEqual(['error']);
      expect(body.error.message).toMatch(message);
    }
    // A model that fails verification is a result, as with `docent models verify`, not a failed request.
    const verify = await call({ method: 'POST', url: '/api/admin/models/verify', payload: { name: 'missing-model' } });
    expect(verify.json()).toMatchObject({ ok: false, checks: [{ ok: false, code: 'model_unavailable', name: 'missing-model' }] });
    const invalidJson = await call({ method: 'PUT', url: '/api/admin/channels/slack/channel/C1', payload: '{"audience":', headers: { 'content-type': 'application/json' } });
    expect(invalidJson.statusCode).toBe(400);
    expect(invalidJson.json<WebErrorBody>().error).toEqual({ code: 'invalid_request', message: 'The request body is not valid JSON.' });
  });

  it('records nothing for a change refused before it starts', async () => {
    const before = (await adminRecords()).length;
    // Releasing a record that is not held fails before anything is written.
    const release = await call({ method: 'DELETE', url: '/api/admin/audit/holds/not-held' });
    expect(release.statusCode).toBe(400);
    expect((await adminRecords()).length).toBe(before);
  });

  it('guards the HEAD routes Fastify adds beside every GET', async () => {
    expect((await site.app.inject({ method: 'HEAD', url: '/api/admin/status' })).statusCode).toBe(401);
    expect((await site.app.inject(withToken({ method: 'HEAD', url: '/api/admin/audit/records' }, site.tokenFor.viewer))).statusCode).toBe(403);
    expect((await site.app.inject(withToken({ method: 'HEAD', url: '/api/admin/audit/records' }, site.tokenFor.auditor))).statusCode).toBe(200);
  });

  it('answers unknown admin paths 401 to strangers and 404 to token holders', async () => {
    expect((await site.app.inject({ method: 'GET', url: '/api/admin/secrets' })).statusCode).toBe(401);
    const known = await call({ method: 'GET', url: '/api/admin/secrets' }, 'viewer');
    expect(known.statusCode).toBe(404);
    expect(known.json<WebErrorBody>().error.code).toBe('not_found');
  });

  it('stops accepting a token as soon as it is revoked', async () => {
    const { token } = await site.tokens.create('short-lived', 'viewer', 'cli:test');
    expect((await site.app.inject(withToken({ method: 'GET', url: '/api/admin/me' }, token))).json()).toEqual({ name: 'short-lived', role: 'viewer', via: 'token' });
    await site.tokens.revoke('short-lived', 'cli:test');
    expect((await site.app.inject(withToken({ method: 'GET', url: '/api/admin/me' }, token))).statusCode).toBe(401);
  });
});

describe('admin route guard', () => {
  const authenticate = async () => ({ name: 'root', role: 'admin' as const, via: 'token' as const });

  it('refuses to start with a route that declares no roles', async () => {
    const app = Fastify();
    void app.register(async (scope) => {
      guardAdminRoutes(scope, authenticate);
      scope.get('/undeclared', async () => ({ leaked: true }));
    });
    await expect(app.ready()).rejects.toThrow('admin route GET /undeclared declares no roles');
    await app.close().catch(() => undefined);
  });

  it('refuses to start with a route that declares an empty role list', async () => {
    const app = Fastify();
    void app.register(async (scope) => {
      guardAdminRoutes(scope, authenticate);
      scope.get('/nobody', { config: { roles: [] } }, async () => ({ leaked: true }));
    });
    await expect(app.ready()).rejects.toThrow('declares no roles');
    await app.close().catch(() => undefined);
  });

  it('serves routes added by other parts of Docent only behind the same checks', async () => {
    const site = await startAdminSite({
      extraRoutes: [(scope) => scope.get('/reports', { config: { roles: ['admin', 'viewer'] } }, async () => ({ reports: [] }))],
    });
    try {
      expect((await site.app.inject({ method: 'GET', url: '/api/admin/reports' })).statusCode).toBe(401);
      expect((await site.app.inject(withToken({ method: 'GET', url: '/api/admin/reports' }, site.tokenFor.auditor))).statusCode).toBe(403);
      expect((await site.app.inject(withToken({ method: 'GET', url: '/api/admin/reports' }, site.tokenFor.viewer))).json()).toEqual({ reports: [] });
    } finally {
      await site.close();
    }
  });
});

describe('admin roles through single sign-on', () => {
  let site: AdminSite;

  beforeAll(async () => {
    const folder = await temporaryDirectory();
    const file = path.join(folder, 'people.yaml');
    await writeFile(
      file,
      ['users:', '  - { id: ann, email: ann@example.com, groups: [it-admins] }', '  - { id: carol, groups: [compliance] }', '  - { id: bob, groups: [engineering] }', 'groups: {}', ''].join('\n'),
    );
    const directory = await createDirectory(directorySchema.parse({ kind: 'static', file }));
    site = await startAdminSite({ singleSignOn: { directory, roles: { admin: ['group:it-admins'], auditor: ['group:compliance'], viewer: ['user:dave'] } } });
  });
  afterAll(async () => site?.close());

  const asUser = (user: string | undefined, options: InjectOptions = { method: 'GET', url: '/api/admin/me' }) =>
    site.app.inject({ ...options, headers: { ...options.headers, ...(user ? { 'x-remote-user': user } : {}) } });

  it('maps directory groups to roles', async () => {
    expect((await asUser('ann')).json()).toEqual({ name: 'ann', role: 'admin', via: 'sso' });
    expect((await asUser('carol')).json()).toEqual({ name: 'carol', role: 'auditor', via: 'sso' });
    expect((await asUser('carol', { method: 'GET', url: '/api/admin/channels' })).statusCode).toBe(403);
    expect((await asUser('carol', { method: 'GET', url: '/api/admin/feedback' })).statusCode).toBe(200);
  });

  it('refuses a signed-in person without a role (403) and a request the proxy did not sign (401)', async () => {
    const bob = await asUser('bob');
    expect(bob.statusCode).toBe(403);
    expect(bob.json<WebErrorBody>().error.message).toContain('signed in as bob, who has no role');
    expect((await asUser(undefined)).statusCode).toBe(401);
    const bypass = await site.app.inject({ method: 'GET', url: '/api/admin/me', headers: { 'x-remote-user': 'ann' }, remoteAddress: '10.1.2.3' });
    expect(bypass.statusCode).toBe(401);
  });

  it('accepts changes only from the console itself, and records the signed-in user', async () => {
    const change: InjectOptions = { method: 'PUT', url: '/api/admin/channels/slack/channel/C0SSO', payload: { audience: 'public' } };
    const crossSite = await asUser('ann', { ...change, headers: { 'sec-fetch-site': 'cross-site' } });
    expect(crossSite.statusCode).toBe(403);
    const otherOrigin = await asUser('ann', { ...change, headers: { origin: 'https://evil.example' } });
    expect(otherOrigin.statusCode).toBe(403);
    const sameOrigin = await asUser('ann', { ...change, headers: { 'sec-fetch-site': 'same-origin', origin: 'http://localhost:80' } });
    expect(sameOrigin.statusCode).toBe(200);
    const records = (await searchRecords(site.audit.paths.directory, { type: 'admin', text: 'C0SSO' })).records.map((stored) => stored.record);
    expect(records).toMatchObject([{ actor: 'sso:ann', action: 'channels.set', details: { actorRole: 'admin', target: 'slack channel C0SSO' } }]);
  });

  it('still takes tokens', async () => {
    expect((await site.app.inject(withToken({ method: 'GET', url: '/api/admin/me' }, site.tokenFor.viewer))).json()).toMatchObject({ via: 'token', role: 'viewer' });
  });
});

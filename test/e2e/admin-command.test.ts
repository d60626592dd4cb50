import { mkdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { searchRecords } from '../../src/audit/search-records.js';
import { projectRoot, runCli, startCli } from '../support/run-cli.js';
import { temporaryDirectory } from '../support/temporary-directory.js';

const forbidNetwork = path.join(projectRoot, 'test', 'support', 'forbid-network.mjs');

describe('docent admin tokens and the admin API of docent serve, through the real command', () => {
  let root: string;
  let environment: Record<string, string>;

  beforeAll(async () => {
    root = await temporaryDirectory('docent-admin-e2e-');
    environment = { DOCENT_DATA_DIR: path.join(root, 'data'), USER: 'alice' };
    const folder = path.join(root, 'docs');
    await mkdir(folder);
    await writeFile(path.join(folder, 'leave.md'), '# Leave\n\nEmployees get 15 days of annual leave per year.\n');
    const indexed = await runCli(['index', folder], environment);
    expect(indexed.code, indexed.stderr).toBe(0);
  }, 180_000);

  it('creates a token printed once, lists it without its secret, and records both in the audit log', async () => {
    const created = await runCli(['admin', 'tokens', 'create', '--name', 'ops-team', '--role', 'admin'], environment);
    expect(created.code, created.stderr).toBe(0);
    const token = created.stdout.trim();
    expect(token).toMatch(/^docent_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).toContain('token "ops-team" (admin, id');
    expect(created.stderr).toContain('It is shown only now');

    const listed = await runCli(['admin', 'tokens', 'list', '--json'], environment);
    const entries = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    expect(entries).toMatchObject([{ name: 'ops-team', role: 'admin', createdBy: 'cli:alice' }]);
    expect(entries[0]).not.toHaveProperty('sha256');
    expect(listed.stdout).not.toContain(token.split('_').slice(2).join('_'));
    expect((await stat(path.join(root, 'data', 'state', 'admin-tokens.json'))).mode & 0o077).toBe(0);

    const refused = await runCli(['admin', 'tokens', 'create', '--name', 'x', '--role', 'superuser'], environment);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain("Allowed choices are admin, auditor, viewer");

    const records = (await searchRecords(path.join(root, 'data', 'audit'), { type: 'admin' })).records.map((stored) => stored.record);
    expect(records).toMatchObject([{ actor: 'cli:alice', action: 'admin.token.create', details: { actorRole: 'operator', tokenRole: 'admin', target: 'token ops-team' } }]);
    expect(JSON.stringify(records)).not.toContain(token.split('_').slice(2).join('_'));
  }, 60_000);

  it('serves the console and the API, which stops taking a token the moment the command revokes it', async () => {
    const created = await runCli(['admin', 'tokens', 'create', '--name', 'viewer-script', '--role', 'viewer'], environment);
    const token = created.stdout.trim();
    const server = await startCli(['serve'], { ...environment, PORT: '0' }, /admin console on (http:\/\/\S+)\/admin/, [forbidNetwork]);
    try {
      const base = server.match[1]!;
      const consolePage = await fetch(`${base}/admin`);
      expect(consolePage.status).toBe(200);
      expect(consolePage.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(await consolePage.text()).toContain('<title>Docent · Admin console</title>');

      const headers = { authorization: `Bearer ${token}` };
      const status = await fetch(`${base}/api/admin/status`, { headers });
      expect(status.status).toBe(200);
      expect(await status.json()).toMatchObject({ index: { documents: 1 }, failures: 0 });
      expect((await fetch(`${base}/api/admin/audit/records`, { headers })).status).toBe(403);
      expect((await fetch(`${base}/api/admin/status`)).status).toBe(401);

      const revoked = await runCli(['admin', 'tokens', 'revoke', 'viewer-script'], environment);
      expect(revoked.stdout).toContain('revoked token "viewer-script" (viewer');
      expect((await fetch(`${base}/api/admin/status`, { headers })).status).toBe(401);
    } finally {
      expect(await server.stop()).toBe(0);
    }
    const listed = await runCli(['admin', 'tokens', 'list'], environment);
    expect(listed.stdout).toMatch(/viewer-script\s+viewer\s+[0-9a-f]{16}\s+.*by cli:alice/);
    // Serving recorded the models its answers are made with (a later start records only a change).
    const modelChanges = (await searchRecords(path.join(root, 'data', 'audit'), { type: 'admin', text: 'model.change' })).records.map((stored) => stored.record);
    expect(modelChanges).toMatchObject([{ action: 'model.change', details: { from: null, to: { language: 'extractive', embedding: expect.stringMatching(/dimensions/) } } }]);
  }, 180_000);
});

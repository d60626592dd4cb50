import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { searchRecords } from '../../src/audit/search-records.js';
import { startAdminSite, type AdminSite } from '../support/admin-site.js';

/**
 * The admin console in a real browser: Debian's chromium driven by playwright-core
 * against the real server, admin API and audit log on an ephemeral port.
 */
const chromiumPath = '/usr/bin/chromium';
const hasChromium = existsSync(chromiumPath);
// These flags keep chromium from reaching the internet (see shared/DESIGN.md).
const chromiumArguments = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];
const outputDirectory = join(process.cwd(), 'test-output');

if (!hasChromium) {
  console.warn(`Skipping the admin console browser tests: ${chromiumPath} is missing (install it with: apt-get install -y chromium).`);
}

describe.skipIf(!hasChromium)(`admin console in a real browser${hasChromium ? '' : ` (skipped: ${chromiumPath} is missing)`}`, () => {
  let site: AdminSite;
  let baseUrl: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let browserProblems: string[];

  beforeAll(async () => {
    await mkdir(outputDirectory, { recursive: true });
    site = await startAdminSite();
    await site.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(site.app.server.address() as AddressInfo).port}`;
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: chromiumArguments });
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });

  beforeEach(async () => {
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, acceptDownloads: true });
    page = await context.newPage();
    browserProblems = [];
    // A blocked inline script or style, a Trusted Types violation or any script error shows up here.
    page.on('console', (message) => {
      // The console asks /api/admin/me without a token first (single sign-on); 401 is the expected answer.
      if (message.type() === 'error' && !message.text().includes('status of 401')) browserProblems.push(message.text());
    });
    page.on('pageerror', (error) => browserProblems.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl) && !request.url().startsWith('blob:')) browserProblems.push(`request left the server: ${request.url()}`);
    });
    return async () => {
      await context.close();
    };
  });

  async function signIn(token: string): Promise<void> {
    await page.goto(`${baseUrl}/admin`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Admin token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
  }

  it('signs in with a token, shows the overview and connectors, searches and exports the audit log', async () => {
    const response = await page.goto(`${baseUrl}/admin`);
    const policy = response?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("require-trusted-types-for 'script'");
    expect(await page.title()).toBe('Docent · Admin console');

    // A wrong token is refused on the sign-in page.
    await page.getByLabel('Admin token').fill('docent_0123456789abcdef_not-a-real-token-at-all-xxxxxxxxxxxxxxxxxx');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.locator('#sign-in-error').textContent()).toBe('This token is not valid: it was mistyped or revoked.');

    await page.getByLabel('Admin token').fill(site.tokenFor.admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.locator('#session-who').textContent()).toBe('admin-token · admin');

    // Overview: counts, models, sources and failures from the real index and state.
    const counts = page.locator('#overview-counts .count');
    await expect.poll(() => counts.count()).toBe(5);
    expect(await counts.allTextContents()).toEqual(['2documents', '2chunks', '1failures', expect.stringMatching(/KBindex size$/), '1sources']);
    expect(await page.locator('#overview-models').textContent()).toContain('test-hashing-embedder (32 dimensions)');
    expect(await page.locator('#overview-models').textContent()).toContain('none: answers quote the documents');
    expect(await page.locator('#overview-sources tbody tr').first().textContent()).toContain(site.folder);
    expect(await page.locator('#overview-failures tbody tr').first().textContent()).toContain('scan.pdf');
    const overviewShot = join(outputDirectory, 'admin-console-overview.png');
    await page.screenshot({ path: overviewShot, fullPage: true });

    // Connectors: each with its state, last run and failures; an admin runs and pauses them.
    await page.getByRole('link', { name: 'Connectors' }).click();
    const card = page.locator('.connector[data-connector="handbook"]');
    await card.waitFor();
    expect(await card.locator('.badge').textContent()).toBe('ok');
    expect(await card.textContent()).toContain('scan.pdf');
    expect(await card.locator('tbody tr').first().textContent()).toMatch(/succeeded3\d*1$/);
    const runsBefore = (await site.store.get('handbook'))!.runs.length;
    await card.getByRole('button', { name: 'Run now' }).click();
    await expect.poll(async () => (await site.store.get('handbook'))!.runs.length, { timeout: 30_000 }).toBe(runsBefore + 1);
    await expect.poll(async () => (await site.store.get('handbook'))!.runs[0]!.state, { timeout: 30_000 }).toBe('succeeded');
    await card.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.locator('.connector[data-connector="handbook"] .badge').textContent()).toBe('paused');
    await page.locator('.connector[data-connector="handbook"]').getByRole('button', { name: 'Run history' }).click();
    await expect.poll(() => page.locator('.connector[data-connector="handbook"] .history tbody tr').count()).toBe(runsBefore + 1);
    await page.screenshot({ path: join(outputDirectory, 'admin-console-connectors.png'), fullPage: true });
    await page.locator('.connector[data-connector="handbook"]').getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.locator('.connector[data-connector="handbook"] .badge').textContent()).toBe('ok');
    const connectorRecords = (await searchRecords(site.audit.paths.directory, { type: 'admin', text: 'connector.' })).records.map((stored) => stored.record);
    expect(connectorRecords.map((record) => record.type === 'admin' && `${record.actor} ${record.action}`)).toEqual(['token:admin-token connector.run', 'token:admin-token connector.pause', 'token:admin-token connector.resume']);

    // Audit log: newest records first; a filtered search; details open as text.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log' }).waitFor();
    await expect.poll(() => page.locator('#audit-summary').textContent()).toMatch(/^\d+ matching records, newest first\./);
    await page.getByLabel('Text').fill('vpn');
    await page.getByLabel('Type').selectOption('answer');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('#audit-summary').textContent()).toBe('1 matching record, newest first.');
    const recordRow = page.locator('.audit-table tr.record');
    expect(await recordRow.count()).toBe(1);
    expect(await recordRow.textContent()).toContain('Where is the VPN guide?');
    await recordRow.getByRole('button', { name: 'details' }).click();
    expect(await page.locator('.record-details pre').textContent()).toContain(`"id": "${site.seeded[1]!.id}"`);

    await page.getByRole('button', { name: 'Verify the log' }).click();
    await expect.poll(() => page.locator('#audit-verify-result').textContent()).toMatch(/^The log verifies: \d+ records/);
    const auditShot = join(outputDirectory, 'admin-console-audit.png');
    await page.screenshot({ path: auditShot, fullPage: true });

    // Export: a period is required; the file downloads and the export is recorded.
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await expect.poll(() => page.locator('#notice').textContent()).toBe('Choose the period to export: both From and To.');
    const today = new Date().toISOString().slice(0, 10);
    const filters = page.locator('#audit-form');
    await filters.getByLabel('From').fill(today);
    await filters.getByLabel('To', { exact: true }).fill(today);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`docent-audit-${today}-${today}.csv`);
    const exported = await readFile((await download.path())!, 'utf8');
    expect(exported.startsWith('\uFEFFsequence,id,time,type,')).toBe(true);
    expect(exported).toContain('Where is the VPN guide?');
    // Only the filtered record: a header and one row.
    expect(exported.trim().split('\r\n')).toHaveLength(2);
    expect(exported).not.toContain(site.seeded[0]!.id);
    const exports = (await searchRecords(site.audit.paths.directory, { type: 'admin', text: 'audit.export' })).records.map((stored) => stored.record);
    expect(exports.at(-1)).toMatchObject({ actor: 'token:admin-token', details: { format: 'csv', destination: 'admin API download', filter: { text: 'vpn', type: 'answer' } } });

    console.log(`admin console screenshots: ${overviewShot}, ${auditShot}`);
    expect(browserProblems).toEqual([]);
  });

  it('shows feedback beside the answers, with comments as text', async () => {
    await signIn(site.tokenFor.auditor);
    await page.getByRole('link', { name: 'Feedback' }).click();
    await expect.poll(() => page.locator('#feedback-summary').textContent()).toBe('👍 1 helpful · 👎 1 not helpful');
    const cards = page.locator('article.feedback');
    expect(await cards.count()).toBe(2);
    const down = cards.first();
    expect(await down.getAttribute('class')).toContain('feedback-down');
    // Markup in a comment is shown, never run or rendered.
    expect(await down.locator('.comment').textContent()).toBe('The VPN guide is on the IT wiki <b>here</b>.');
    expect(await down.locator('.comment b').count()).toBe(0);
    expect(await down.locator('.question').textContent()).toBe('Question: Where is the VPN guide?');
    expect(await down.locator('.answer').textContent()).toBe('Answer (not found): I could not find an answer.');
    expect(await down.locator('.rating').textContent()).toBe('👎 not helpful');
    await page.screenshot({ path: join(outputDirectory, 'admin-console-feedback.png'), fullPage: true });
    await page.getByLabel('Rating').selectOption('up');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => cards.count()).toBe(1);
    expect(await cards.first().locator('.cited li').textContent()).toContain('Expense policy');
    expect(browserProblems).toEqual([]);
  });

  it('shows each role only its pages, keeps the token for the tab and forgets it on sign-out', async () => {
    await signIn(site.tokenFor.viewer);
    const navigation = page.getByRole('navigation', { name: 'Sections' });
    expect(await navigation.getByRole('link').allTextContents()).toEqual(['Overview', 'Connectors']);
    // Viewers see connectors, without the buttons that change them.
    await page.getByRole('link', { name: 'Connectors' }).click();
    await page.locator('.connector[data-connector="handbook"]').waitFor();
    expect(await page.locator('.connector').getByRole('button', { name: 'Run now' }).count()).toBe(0);
    // A page the role may not see falls back to the overview.
    await page.goto(`${baseUrl}/admin#audit`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.locator('#page-audit').isHidden()).toBe(true);
    expect(await page.locator('#session-who').textContent()).toBe('viewer-token · viewer');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(browserProblems).toEqual([]);
  });

  it('signs out when the token is revoked while in use', async () => {
    const { token } = await site.tokens.create('revoked-in-use', 'admin', 'cli:test');
    await signIn(token);
    await site.tokens.revoke('revoked-in-use', 'cli:test');
    await page.getByRole('link', { name: 'Connectors' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(await page.locator('#notice').textContent()).toBe('The session ended (the token may have been revoked). Sign in again.');
    expect(browserProblems).toEqual([]);
  });
});

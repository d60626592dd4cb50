import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { loadStaticAssets, type StaticAsset } from '../../chat/web/static-assets.js';

/**
 * Only this server's own files; no inline script or style, no plugin, no frame; and
 * Trusted Types, so that the console's code cannot put a string into the page as HTML
 * even by mistake: everything it shows is set as text.
 */
export const consoleContentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  'trusted-types none',
].join('; ');

export interface AdminConsoleOptions {
  /** Folder holding index.html, console.js and console.css; found next to this module by default. */
  publicDirectory?: string;
}

/** tsc does not copy the page's files, so from `dist/` they are read in the source tree. */
async function resolveConsoleDirectory(): Promise<string> {
  const candidates = [fileURLToPath(new URL('./public/', import.meta.url)), fileURLToPath(new URL('../../../../src/admin/console/public/', import.meta.url))];
  for (const candidate of candidates) {
    const found = await stat(join(candidate, 'index.html')).catch(() => undefined);
    if (found?.isFile()) return candidate;
  }
  throw new Error(`The admin console's page was not found; looked in ${candidates.join(' and ')}`);
}

function sendAsset(ifNoneMatch: string | undefined, reply: FastifyReply, asset: StaticAsset): FastifyReply {
  reply.header('etag', asset.etag).header('cache-control', 'no-cache').header('content-security-policy', consoleContentSecurityPolicy);
  if (ifNoneMatch === asset.etag) return reply.code(304).send();
  return reply.type(asset.mediaType).send(asset.body);
}

/**
 * The admin console at `/admin`: a static page that signs in with an admin token (or
 * through single sign-on) and calls `/api/admin`. It holds no data and needs no login of
 * its own: the API checks every call.
 */
export async function registerAdminConsole(app: FastifyInstance, options: AdminConsoleOptions = {}): Promise<void> {
  const assets = await loadStaticAssets(options.publicDirectory ?? (await resolveConsoleDirectory()));
  const page = assets.get('index.html');
  if (!page) throw new Error('The admin console page (index.html) is missing from its folder.');
  app.get('/admin', async (request, reply) => sendAsset(request.headers['if-none-match'], reply, page));
  app.get('/admin/', async (_request, reply) => reply.redirect('/admin'));
  app.get<{ Params: { name: string } }>('/admin/assets/:name', async (request, reply) => {
    const asset = assets.get(request.params.name);
    if (!asset || asset === page) return reply.code(404).header('content-security-policy', consoleContentSecurityPolicy).send({ error: { code: 'not_found', message: 'Not found.' } });
    return sendAsset(request.headers['if-none-match'], reply, asset);
  });
}

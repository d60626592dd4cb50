import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { performAdminAction } from '../../audit/admin-action.js';
import { routeRoles } from '../access/admin-role.js';
import type { AdminApiContext } from './admin-api-context.js';
import { parseRequest } from './admin-request.js';
import { adminIdentityOf } from './admin-route-guard.js';

const keyParameters = z
  .object({
    platform: z.string().trim().toLowerCase().regex(/^[a-z][a-z0-9-]{0,31}$/, 'a platform name such as slack or teams'),
    scope: z.enum(['channel', 'team']),
    id: z.string().trim().min(1).max(500),
  })
  .strict();

const settingBody = z
  .object({
    sourceIds: z.array(z.string().trim().min(1).max(500)).min(1, 'name at least one source, or leave sourceIds out to allow every source').max(500).optional(),
    audience: z.enum(['common', 'public']).optional(),
  })
  .strict()
  .refine((body) => body.sourceIds !== undefined || body.audience !== undefined, 'give sourceIds, audience, or both (DELETE the setting to go back to the defaults)');

/**
 * Channel and team mappings, as `docent channels` manages them: which sources a Slack or
 * Teams channel (or a whole team) answers from, and what answers posted there may use.
 */
export function registerChannelsRoutes(scope: FastifyInstance, context: AdminApiContext): void {
  scope.get('/channels', { config: { roles: routeRoles.operationsReaders } }, async () => ({
    defaultAudience: context.config.channels.defaultAudience,
    channels: await context.channels.list(),
  }));

  scope.put<{ Params: Record<string, string> }>('/channels/:platform/:scope/:id', { config: { roles: routeRoles.administrators } }, async (request) => {
    const key = parseRequest(keyParameters, request.params, 'channel');
    const body = parseRequest(settingBody, request.body, 'channel setting');
    const setting: Parameters<typeof context.channels.set>[0] = { ...key };
    if (body.sourceIds) setting.sourceIds = body.sourceIds;
    if (body.audience) setting.audience = body.audience;
    const entry = { actor: adminIdentityOf(request), action: 'channels.set', target: `${key.platform} ${key.scope} ${key.id}`, details: { sourceIds: body.sourceIds ?? null, audience: body.audience ?? null } };
    const stored = await performAdminAction(context.audit, entry, () => context.channels.set(setting));
    // A source indexed later is fine (connectors may add it), but a typo would silently leave the channel with no answers.
    const known = new Set((await context.connectors.list()).map((connector) => connector.sourceId));
    const unknownSources = (stored.sourceIds ?? []).filter((sourceId) => !known.has(sourceId));
    return { setting: stored, warnings: unknownSources.length > 0 ? [`no source has been indexed yet under ${unknownSources.join(', ')}`] : [] };
  });

  scope.delete<{ Params: Record<string, string> }>('/channels/:platform/:scope/:id', { config: { roles: routeRoles.administrators } }, async (request) => {
    const key = parseRequest(keyParameters, request.params, 'channel');
    const entry = { actor: adminIdentityOf(request), action: 'channels.remove', target: `${key.platform} ${key.scope} ${key.id}` };
    const removed = await performAdminAction(context.audit, entry, () => context.channels.remove(key));
    return { removed };
  });
}

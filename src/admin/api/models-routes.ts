import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { modelsDirectoryOf } from '../../models/model-manifest.js';
import { listModels } from '../../models/model-store.js';
import { verifyConfiguredModels } from '../../models/verify-configured-models.js';
import { routeRoles } from '../access/admin-role.js';
import type { AdminApiContext } from './admin-api-context.js';
import { parseRequest } from './admin-request.js';

const verifyBody = z.object({ name: z.string().trim().min(1).max(1000).optional() }).strict();

/**
 * `GET /api/admin/models` lists the model files and what is configured; `POST
 * /api/admin/models/verify` re-hashes them against their recorded checksums. Nothing
 * here downloads: pulling a model stays a command an operator runs on purpose.
 */
export function registerModelsRoutes(scope: FastifyInstance, context: AdminApiContext): void {
  const { config } = context;

  scope.get('/models', { config: { roles: routeRoles.operationsReaders } }, async () => {
    const directory = modelsDirectoryOf(config);
    const configured: Record<string, string> = { embedding: config.embedding.provider === 'transformers' ? (config.embedding.modelPath ?? 'transformers') : 'use-lite' };
    if (config.llm.model) configured.languageModel = config.llm.model;
    else if (config.llm.endpoint) configured.languageModel = `${config.llm.endpointModel} at ${config.llm.endpoint}`;
    return { directory, configured, models: await listModels({ directory }) };
  });

  scope.post('/models/verify', { config: { roles: routeRoles.administrators } }, async (request) => {
    const { name } = parseRequest(verifyBody, request.body, 'model verification');
    const checks = await verifyConfiguredModels(config, name);
    return { ok: checks.every((check) => check.ok), checks };
  });
}

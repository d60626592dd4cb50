import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { temporaryDirectory } from '../../test/support/temporary-directory.js';
import { llmSchema } from '../config/schema.js';
import type { AdminActor } from './admin-action.js';
import { AuditLog } from './audit-log.js';
import { modelsInUse, modelsInUseFile, recordModelChange } from './model-change.js';
import { searchRecords } from './search-records.js';
import { verifyLog } from './verify-log.js';

const operator: AdminActor = { name: 'docent', role: 'operator', via: 'cli' };
const embedder = { modelId: 'use-lite-en@0.2.0', dimensions: 512 };

describe('recordModelChange', () => {
  it('records the models of the first start, nothing while they stay, and each change with what it replaced', async () => {
    const dataDirectory = await temporaryDirectory();
    const directory = path.join(dataDirectory, 'audit');
    const stateFile = modelsInUseFile(dataDirectory);
    const log = await AuditLog.open({ directory });
    const extractive = modelsInUse({ llm: llmSchema.parse({}) }, embedder);
    const local = modelsInUse({ llm: llmSchema.parse({ model: 'qwen2.5-1.5b-instruct' }) }, embedder);
    expect(local).toEqual({ embedding: 'use-lite-en@0.2.0 (512 dimensions)', language: 'local qwen2.5-1.5b-instruct' });

    expect(await recordModelChange(log, extractive, stateFile, operator)).toMatchObject({ action: 'model.change', details: { from: null, to: extractive } });
    expect(await recordModelChange(log, extractive, stateFile, operator)).toBeUndefined();
    expect(await recordModelChange(log, local, stateFile, operator)).toMatchObject({ actor: 'cli:docent', details: { from: extractive, to: local, target: 'models' } });
    await log.close();

    const found = await searchRecords(directory, { type: 'admin' });
    expect(found.records.map((stored) => (stored.record as { action?: string }).action)).toEqual(['model.change', 'model.change']);
    expect((await verifyLog(directory)).ok).toBe(true);
  });

  it('records the models again when the marker file is damaged, rather than miss a change', async () => {
    const dataDirectory = await temporaryDirectory();
    const stateFile = modelsInUseFile(dataDirectory);
    const log = await AuditLog.open({ directory: path.join(dataDirectory, 'audit') });
    const models = modelsInUse({ llm: llmSchema.parse({ endpoint: 'http://gpu-box:8000/v1', endpointModel: 'qwen' }) }, embedder);
    await recordModelChange(log, models, stateFile, operator);
    await writeFile(stateFile, '{"embedding": ');
    expect(await recordModelChange(log, models, stateFile, operator)).toMatchObject({ details: { from: null, to: { language: 'endpoint http://gpu-box:8000/v1 model qwen' } } });
    await log.close();
  });
});

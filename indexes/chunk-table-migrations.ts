import type * as lancedb from '@lancedb/lancedb';
import { DocentError, describeError } from '../src/core/errors.js';
import { chunkSchemaVersion } from './chunk-schema.js';

/**
 * One step from a table layout to the next, applied in place: no re-parsing, no
 * re-embedding. Each step checks whether it is already done, so a step interrupted by a
 * crash, or raced by another process opening the same index, is simply done again or
 * skipped.
 */
interface Migration {
  /** The layout this step starts from; it leaves the table at `from + 1`. */
  from: number;
  describe: string;
  apply(table: lancedb.Table): Promise<void>;
}

const migrations: Migration[] = [
  {
    from: 1,
    describe: 'add the version column, filled with each document\'s content hash',
    async apply(table) {
      // Layout 1 knew documents only by their bytes, so the content hash is the version they were indexed at.
      if (await hasColumn(table, 'version')) return;
      try {
        await table.addColumns([{ name: 'version', valueSql: 'content_hash' }]);
      } catch (error) {
        // Another process opening the same index may have added it first.
        await table.checkoutLatest().catch(() => undefined);
        if (!(await hasColumn(table, 'version'))) throw error;
      }
    },
  },
];

async function hasColumn(table: lancedb.Table, name: string): Promise<boolean> {
  return (await table.schema()).fields.some((field) => field.name === name);
}

/**
 * Brings the chunk table from `layout` to the current layout. A missing table (an index
 * created but never written) needs nothing: it is created in the current layout.
 */
export async function migrateChunkTable(table: lancedb.Table | undefined, layout: number, directory: string): Promise<void> {
  for (let current = layout; current < chunkSchemaVersion; current++) {
    const migration = migrations.find((step) => step.from === current);
    if (!migration) throw new DocentError('index_unavailable', `the index in ${directory} has layout version ${layout}, which cannot be migrated: run \`docent index --rebuild <folder>\``);
    if (!table) continue;
    try {
      await migration.apply(table);
    } catch (error) {
      throw new DocentError('index_unavailable', `migrating the index in ${directory} from layout ${current} (${migration.describe}) failed: ${describeError(error)}`, { cause: error, retryable: true });
    }
  }
}

import type { DocentConfig } from '../config/schema.js';
import { AuditLog } from './audit-log.js';
import { auditDirectoryOf } from './audit-paths.js';

/** Opens the data directory's audit log for one piece of work, and closes it after, whatever happens. */
export async function withAuditLog<T>(config: Pick<DocentConfig, 'dataDir'>, work: (log: AuditLog) => Promise<T>): Promise<T> {
  const log = await AuditLog.open({ directory: auditDirectoryOf(config) });
  try {
    return await work(log);
  } finally {
    await log.close();
  }
}

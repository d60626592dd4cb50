import type { AuditLog } from '../../audit/audit-log.js';
import type { DocentConfig } from '../../config/schema.js';
import type { ChannelSettingsStore } from '../../directory/channel-settings-store.js';
import type { EnqueuedRun } from '../../jobs/job-runner.js';
import type { StatusReport } from '../status-report.js';
import type { ConnectorService } from '../connector-service.js';

/** What the admin routes work on; the same objects `docent serve` answers with. */
export interface AdminApiContext {
  config: DocentConfig;
  /** Where admin actions are recorded and audit searches read. */
  audit: AuditLog;
  /** Channel and team source restrictions (the store the answering side reads). */
  channels: ChannelSettingsStore;
  /** Connectors: the same service `docent connectors` uses, recording every change. */
  connectors: ConnectorService;
  /** Queues a run of the connector with the job layer (workers on Redis, or this process); joins one already queued or running. */
  enqueueRun: (name: string) => Promise<EnqueuedRun>;
  /** Documents, chunks, failures, models and index size, read without loading a model. */
  status: () => Promise<StatusReport>;
}

import type { AuditLog } from '../../audit/audit-log.js';
import type { DocentConfig } from '../../config/schema.js';
import type { ChannelSettingsStore } from '../../directory/channel-settings-store.js';
import type { SourceState } from '../../pipeline/source-state.js';
import type { StatusReport } from '../commands/status-command.js';

/** What the admin routes work on; the same objects `docent serve` answers with. */
export interface AdminApiContext {
  config: DocentConfig;
  /** Where admin actions are recorded and audit searches read. */
  audit: AuditLog;
  /** Channel and team source restrictions (the store the answering side reads). */
  channels: ChannelSettingsStore;
  /** Indexed sources and their last runs. */
  sources: SourceState;
  /** Documents, chunks, failures, models and index size, read without loading a model. */
  status: () => Promise<StatusReport>;
}

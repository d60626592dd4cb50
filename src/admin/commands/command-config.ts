import { loadConfig } from '../../config/load.js';
import type { DocentConfig } from '../../config/schema.js';

/** Options every command accepts. */
export interface GlobalOptions {
  config?: string;
  dataDir?: string;
}

export function loadCommandConfig(options: GlobalOptions): DocentConfig {
  const loadOptions: Parameters<typeof loadConfig>[0] = { overrides: { dataDir: options.dataDir } };
  if (options.config) loadOptions.file = options.config;
  return loadConfig(loadOptions);
}

import path from 'node:path';
import type { DocentConfig } from '../config/schema.js';
import { AccessResolver, type AccessResolverOptions } from './access-resolver.js';
import { ChannelPolicyResolver } from './channel-policy.js';
import { ChannelSettingsStore } from './channel-settings-store.js';
import { createDirectory, type CreateDirectoryOptions } from './create-directory.js';

/**
 * The access resolver a serving process hands its chat surfaces: the configured directory
 * (checked now, so a bad file, filter or missing password stops start-up) and the channel
 * settings in the data directory. Close it on shutdown.
 */
export async function createAccessResolver(config: DocentConfig, options: CreateDirectoryOptions & Pick<AccessResolverOptions, 'warn'> = {}): Promise<AccessResolver> {
  const directory = await createDirectory(config.directory, options);
  const channels = new ChannelPolicyResolver(ChannelSettingsStore.in(path.resolve(config.dataDir)), { defaultAudience: config.channels.defaultAudience });
  const resolverOptions: AccessResolverOptions = { maximumCommonMembers: config.channels.maximumCommonMembers };
  if (options.warn) resolverOptions.warn = options.warn;
  return new AccessResolver(directory, channels, resolverOptions);
}

import path from 'node:path';
import { type Command, Option } from 'commander';
import { ChannelSettingsStore, type AudienceMode, type ChannelScope } from '../../directory/channel-settings-store.js';
import { ConnectorStore } from '../../pipeline/connector-store.js';
import { formatTable, printJson } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';

interface TargetOptions {
  team?: boolean;
}

function scopeOf(options: TargetOptions): ChannelScope {
  return options.team ? 'team' : 'channel';
}

/** `docent channels list|set|remove`: which sources a channel or team answers from, and what its shared answers may use. */
export function registerChannelsCommand(program: Command): void {
  const channels = program.command('channels').description('restrict a Slack or Teams channel (or a whole team) to some sources, and choose what answers posted there may use');

  channels
    .command('list')
    .description('show every channel and team setting')
    .option('--json', 'print the settings as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const settings = await ChannelSettingsStore.in(path.resolve(config.dataDir)).list();
      if (options.json) {
        printJson({ defaultAudience: config.channels.defaultAudience, channels: settings });
        return;
      }
      if (settings.length === 0) console.log('no channel settings: every channel answers from every source');
      else console.log(formatTable(['platform', 'scope', 'id', 'sources', 'audience', 'updated'], settings.map((setting) => [setting.platform, setting.scope, setting.id, setting.sourceIds?.join(', ') ?? '(all)', setting.audience ?? '(default)', setting.updatedAt.slice(0, 19).replace('T', ' ')])));
      console.log(`\nanswers posted in channels use ${config.channels.defaultAudience === 'common' ? "what every member may read (common)" : 'documents open to everyone (public)'} unless set otherwise`);
    });

  channels
    .command('set')
    .description('set what one channel (or, with --team, every channel of a team or workspace) answers from; replaces its earlier setting')
    .argument('<platform>', 'slack or teams')
    .argument('<id>', 'channel id (e.g. C0123ABCD), or team / workspace id with --team')
    .option('--team', 'the id names a Slack workspace or Teams team: applies to its channels without a setting of their own')
    .option('--sources <id...>', 'only these source ids answer there (default: every source)')
    .addOption(new Option('--audience <mode>', 'answers posted there use what every member may read (common) or only documents open to everyone (public); default: channels.defaultAudience').choices(['common', 'public']))
    .option('--json', 'print the stored setting as JSON')
    .action(async (platform: string, id: string, options: TargetOptions & { sources?: string[]; audience?: AudienceMode; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const dataDirectory = path.resolve(config.dataDir);
      const setting: Parameters<ChannelSettingsStore['set']>[0] = { platform, scope: scopeOf(options), id };
      if (options.sources) setting.sourceIds = options.sources.flatMap((value) => value.split(','));
      if (options.audience) setting.audience = options.audience;
      const stored = await ChannelSettingsStore.in(dataDirectory).set(setting);
      // A source indexed later is fine (connectors may add it), but a typo would silently leave the channel with no answers.
      const known = new Set((await ConnectorStore.in(dataDirectory).list()).map((connector) => connector.sourceId));
      const unknown = (stored.sourceIds ?? []).filter((sourceId) => !known.has(sourceId));
      if (unknown.length > 0) console.error(`warning: no source has been indexed yet under ${unknown.join(', ')}; \`docent status\` lists the sources`);
      if (options.json) {
        printJson(stored);
        return;
      }
      const where = `${stored.platform} ${stored.scope} ${stored.id}`;
      console.log(`${where}: ${stored.sourceIds ? `sources ${stored.sourceIds.join(', ')}` : 'every source'}; shared answers use ${stored.audience ?? `the default (${config.channels.defaultAudience})`}`);
    });

  channels
    .command('remove')
    .description("remove a channel's (or, with --team, a team's) setting: it answers from every source with the default audience again")
    .argument('<platform>', 'slack or teams')
    .argument('<id>', 'channel id, or team / workspace id with --team')
    .option('--team', 'the id names a Slack workspace or Teams team')
    .action(async (platform: string, id: string, options: TargetOptions, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const removed = await ChannelSettingsStore.in(path.resolve(config.dataDir)).remove({ platform, scope: scopeOf(options), id });
      console.log(removed ? `removed the setting of ${platform} ${scopeOf(options)} ${id}` : `${platform} ${scopeOf(options)} ${id} had no setting`);
    });
}

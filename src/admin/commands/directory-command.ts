import { type Command, Option } from 'commander';
import type { ChatIdentity } from '../../core/directory.js';
import { createDirectory } from '../../directory/create-directory.js';
import { printJson } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';

/** `docent directory resolve`: what the configured directory makes of a chat identity, to check its settings before users do. */
export function registerDirectoryCommand(program: Command): void {
  const directoryCommand = program.command('directory').description('check how chat identities resolve to users and groups');
  directoryCommand
    .command('resolve')
    .description('show the principals (user and group) the configured directory gives a person')
    .addOption(new Option('--platform <platform>', 'where the identity comes from').choices(['slack', 'teams', 'web', 'cli']).default('web'))
    .requiredOption('--user <id>', 'platform user id: Slack member id, Teams AAD object id, or web login name')
    .option('--email <address>', 'the e-mail address the platform gives (Slack)')
    .option('--upn <name>', 'the user principal name the platform gives (Teams)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { platform: string; user: string; email?: string; upn?: string; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const directory = await createDirectory(config.directory);
      try {
        const identity: ChatIdentity = { platform: options.platform, userId: options.user };
        if (options.email) identity.email = options.email;
        if (options.upn) identity.upn = options.upn;
        const resolved = await directory.resolve(identity);
        if (options.json) {
          printJson({ directory: directory.kind, ...resolved });
          return;
        }
        if (!resolved.found) {
          console.log(`not found in the ${directory.kind} directory: this person reads only documents open to everyone`);
          return;
        }
        console.log(`${resolved.displayName ?? options.user} (${directory.kind} directory)`);
        for (const principal of resolved.principals) console.log(`  ${principal}`);
      } finally {
        await directory.close();
      }
    });
}

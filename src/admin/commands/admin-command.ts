import path from 'node:path';
import { Option, type Command } from 'commander';
import { performAdminAction } from '../../audit/admin-action.js';
import { adminRoles, type AdminRole } from '../access/admin-role.js';
import { AdminTokenStore } from '../access/admin-token-store.js';
import { formatTable, printJson } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';
import { commandActor } from './command-actor.js';
import { withAuditLog } from '../../audit/with-audit-log.js';

/** `docent admin tokens create|list|revoke`: bearer tokens for the admin API and console. */
export function registerAdminCommand(program: Command): void {
  const admin = program.command('admin').description('access to the admin API and console');
  const tokens = admin.command('tokens').description('bearer tokens for the admin API and console (creating and revoking them is recorded in the audit log)');

  tokens
    .command('create')
    .description('create a token and print it once: only a salted hash is kept')
    .requiredOption('--name <name>', 'who or what will use it, e.g. ops-team or backup-script')
    .addOption(new Option('--role <role>', 'admin: everything; auditor: audit log and feedback; viewer: status and configuration, read-only').choices([...adminRoles]).makeOptionMandatory())
    .option('--json', 'print the token and its entry as JSON')
    .action(async (options: { name: string; role: AdminRole; json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const store = AdminTokenStore.in(path.resolve(config.dataDir));
      const actor = commandActor();
      const created = await withAuditLog(config, (log) =>
        performAdminAction(log, { actor, action: 'admin.token.create', target: `token ${options.name}`, details: { tokenRole: options.role } }, () => store.create(options.name, options.role, `cli:${actor.name}`)),
      );
      const { salt: _salt, sha256: _sha256, ...entry } = created.stored;
      if (options.json) {
        printJson({ token: created.token, ...entry });
        return;
      }
      console.log(created.token);
      console.error(`token "${entry.name}" (${entry.role}, id ${entry.id}) created. It is shown only now: keep it in a password manager or a secret store.`);
      console.error('Use it as "Authorization: Bearer <token>" with /api/admin/..., or paste it into the console at /admin.');
    });

  tokens
    .command('list')
    .description('show the tokens (never their secrets), revoked ones included')
    .option('--json', 'print the list as JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const listed = (await AdminTokenStore.in(path.resolve(config.dataDir)).list()).map(({ salt: _salt, sha256: _sha256, ...entry }) => entry);
      if (options.json) {
        printJson(listed);
        return;
      }
      if (listed.length === 0) {
        console.log('no admin tokens; create one with: docent admin tokens create --name <name> --role admin|auditor|viewer');
        return;
      }
      const time = (value: string | undefined): string => value?.slice(0, 19).replace('T', ' ') ?? '';
      console.log(formatTable(['name', 'role', 'id', 'created', 'by', 'revoked'], listed.map((entry) => [entry.name, entry.role, entry.id, time(entry.createdAt), entry.createdBy, entry.revokedAt ? `${time(entry.revokedAt)} by ${entry.revokedBy ?? '?'}` : ''])));
    });

  tokens
    .command('revoke')
    .description('revoke a token at once, also for a running `docent serve`')
    .argument('<name-or-id>', 'the token name or id (see `docent admin tokens list`)')
    .action(async (nameOrId: string, _options: unknown, command: Command) => {
      const config = loadCommandConfig(command.optsWithGlobals<GlobalOptions>());
      const store = AdminTokenStore.in(path.resolve(config.dataDir));
      const actor = commandActor();
      const revoked = await withAuditLog(config, (log) => performAdminAction(log, { actor, action: 'admin.token.revoke', target: `token ${nameOrId}` }, () => store.revoke(nameOrId, `cli:${actor.name}`)));
      console.log(`revoked token "${revoked.name}" (${revoked.role}, id ${revoked.id})`);
    });
}

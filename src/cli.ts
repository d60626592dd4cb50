#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerAdminCommand } from './admin/commands/admin-command.js';
import { registerAskCommand } from './admin/commands/ask-command.js';
import { registerAuditCommand } from './admin/commands/audit-command.js';
import { registerChannelsCommand } from './admin/commands/channels-command.js';
import { registerConnectorsCommand } from './admin/commands/connectors-command.js';
import { registerDirectoryCommand } from './admin/commands/directory-command.js';
import { registerEvalCommand } from './admin/commands/eval-command.js';
import { registerIndexCommand } from './admin/commands/index-command.js';
import { registerModelsCommand } from './admin/commands/models-command.js';
import { registerSearchCommand } from './admin/commands/search-command.js';
import { registerServeCommands } from './admin/commands/serve-command.js';
import { registerStatusCommand } from './admin/commands/status-command.js';
import { registerWorkerCommand } from './admin/commands/worker-command.js';
import { describeError, isDocentError } from './core/errors.js';

// LanceDB logs a warning per query that omits _score/_distance from its columns; Docent selects what it needs on purpose.
process.env.LANCEDB_LOG ??= 'error';

const program = new Command()
  .name('docent')
  .description('Docent: answers from your documents, with citations, on your own machines')
  .option('--config <file>', 'settings file (default: docent.yaml, or DOCENT_CONFIG)')
  .option('--data-dir <folder>', 'where the index and state live (default: ./.docent, or DOCENT_DATA_DIR)')
  .showHelpAfterError()
  .exitOverride();

registerIndexCommand(program);
registerSearchCommand(program);
registerAskCommand(program);
registerStatusCommand(program);
registerEvalCommand(program);
registerServeCommands(program);
registerModelsCommand(program);
registerAuditCommand(program);
registerChannelsCommand(program);
registerConnectorsCommand(program);
registerDirectoryCommand(program);
registerAdminCommand(program);
registerWorkerCommand(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  // Typed errors are expected conditions with a message written for the reader; anything else is a bug worth a stack.
  console.error(isDocentError(error) ? `docent: ${error.message}` : `docent: unexpected error: ${describeError(error)}\n${(error as Error).stack ?? ''}`);
  process.exit(isDocentError(error) ? 2 : 1);
}

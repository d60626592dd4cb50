#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { registerCommands } from './admin/commands/command-modules.js';
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

await registerCommands(program, process.argv.slice(2));

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) process.exit(error.exitCode);
  // Typed errors are expected conditions with a message written for the reader; anything else is a bug worth a stack.
  console.error(isDocentError(error) ? `docent: ${error.message}` : `docent: unexpected error: ${describeError(error)}\n${(error as Error).stack ?? ''}`);
  process.exit(isDocentError(error) ? 2 : 1);
}

import type { Command } from 'commander';

type Register = (program: Command) => void;

/**
 * Where each top-level command is defined. Modules load on demand because together they pull in
 * LanceDB, both chat SDKs, the model runtimes and the job queue: importing all of them made every
 * command, even `docent connectors list`, take seconds to start.
 */
const commandModules: Record<string, () => Promise<Register>> = {
  index: async () => (await import('./index-command.js')).registerIndexCommand,
  search: async () => (await import('./search-command.js')).registerSearchCommand,
  ask: async () => (await import('./ask-command.js')).registerAskCommand,
  status: async () => (await import('./status-command.js')).registerStatusCommand,
  eval: async () => (await import('./eval-command.js')).registerEvalCommand,
  serve: async () => (await import('./serve-command.js')).registerServeCommands,
  start: async () => (await import('./serve-command.js')).registerServeCommands,
  models: async () => (await import('./models-command.js')).registerModelsCommand,
  audit: async () => (await import('./audit-command.js')).registerAuditCommand,
  channels: async () => (await import('./channels-command.js')).registerChannelsCommand,
  connectors: async () => (await import('./connectors-command.js')).registerConnectorsCommand,
  directory: async () => (await import('./directory-command.js')).registerDirectoryCommand,
  admin: async () => (await import('./admin-command.js')).registerAdminCommand,
  worker: async () => (await import('./worker-command.js')).registerWorkerCommand,
};

export const commandNames = Object.keys(commandModules);

/** Global options that take a value, so that their value is not mistaken for the command's name. */
const optionsWithValue = new Set(['--config', '--data-dir']);

/** The top-level command named on the command line (arguments after the script), if any. */
export function requestedCommandName(args: readonly string[]): string | undefined {
  for (let position = 0; position < args.length; position += 1) {
    const argument = args[position]!;
    if (optionsWithValue.has(argument)) position += 1;
    else if (!argument.startsWith('-')) return argument;
  }
  return undefined;
}

/**
 * Registers the command the arguments name, or every command when they name none or an unknown
 * one, so that help lists them all and a typo gets commander's suggestion.
 */
export async function registerCommands(program: Command, args: readonly string[]): Promise<void> {
  const name = requestedCommandName(args);
  const loaders = name !== undefined && name in commandModules ? [commandModules[name]!] : Object.values(commandModules);
  const registers = new Set(await Promise.all(loaders.map((load) => load())));
  for (const register of registers) register(program);
}

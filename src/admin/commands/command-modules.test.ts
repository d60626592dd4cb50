import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandNames, registerCommands, requestedCommandName } from './command-modules.js';

describe('requestedCommandName', () => {
  it('finds the command after global options and their values', () => {
    expect(requestedCommandName(['connectors', 'list'])).toBe('connectors');
    expect(requestedCommandName(['--data-dir', 'status', 'search', 'x'])).toBe('search');
    expect(requestedCommandName(['--config=docent.yaml', 'ask', 'why?'])).toBe('ask');
    expect(requestedCommandName(['--help'])).toBeUndefined();
    expect(requestedCommandName([])).toBeUndefined();
  });
});

describe('registerCommands', () => {
  it('registers only the named command, and each name is defined by the module it loads', async () => {
    for (const name of commandNames) {
      const program = new Command();
      await registerCommands(program, [name]);
      expect(program.commands.map((command) => command.name())).toContain(name);
      expect(program.commands.length, name).toBeLessThanOrEqual(2);
    }
  });

  it('registers every command for help or an unknown name', async () => {
    for (const args of [[], ['--help'], ['conectors']]) {
      const program = new Command();
      await registerCommands(program, args);
      expect(program.commands.map((command) => command.name()).sort()).toEqual([...commandNames].sort());
    }
  });
});

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { describe, expect, it, vi } from 'vitest';
import { temporaryDirectory } from '../../../test/support/temporary-directory.js';
import { registerDirectoryCommand } from './directory-command.js';

async function docent(folder: string, ...args: string[]): Promise<string> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  const program = new Command().option('--config <file>').option('--data-dir <folder>').exitOverride();
  registerDirectoryCommand(program);
  try {
    await program.parseAsync(['--config', path.join(folder, 'docent.yaml'), '--data-dir', folder, 'directory', ...args], { from: 'user' });
  } finally {
    log.mockRestore();
  }
  return out.join('\n');
}

describe('docent directory resolve', () => {
  it('shows the principals the configured directory gives a person', async () => {
    const folder = await temporaryDirectory();
    await writeFile(path.join(folder, 'people.yaml'), 'users:\n  - { id: ann, displayName: Ann Lee, slack: U0ANN, groups: [payroll] }\ngroups:\n  payroll: { memberOf: [hr] }\n');
    await writeFile(path.join(folder, 'docent.yaml'), `directory:\n  kind: static\n  file: ${JSON.stringify(path.join(folder, 'people.yaml'))}\n`);
    expect(await docent(folder, 'resolve', '--platform', 'slack', '--user', 'U0ANN')).toBe('Ann Lee (static directory)\n  user:ann\n  group:payroll\n  group:hr');
    expect(await docent(folder, 'resolve', '--platform', 'slack', '--user', 'U0NOBODY')).toMatch(/^not found in the static directory/);
  });
});

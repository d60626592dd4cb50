import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConnectorStore } from '../../pipeline/connector-store.js';
import { temporaryDirectory } from '../../../test/support/temporary-directory.js';
import { registerChannelsCommand } from './channels-command.js';

/** Runs `docent channels …` in-process, as src/cli.ts wires it, and returns what it printed. */
async function docent(folder: string, ...args: string[]): Promise<{ out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => void out.push(parts.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => void err.push(parts.join(' ')));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => out.push(String(chunk)) > 0);
  const program = new Command().option('--config <file>').option('--data-dir <folder>').exitOverride();
  registerChannelsCommand(program);
  try {
    await program.parseAsync(['--config', path.join(folder, 'docent.yaml'), '--data-dir', folder, 'channels', ...args], { from: 'user' });
  } finally {
    log.mockRestore();
    error.mockRestore();
    write.mockRestore();
  }
  return { out: out.join('\n'), err: err.join('\n') };
}

describe('docent channels', () => {
  afterEach(() => vi.restoreAllMocks());

  it('sets, lists and removes channel and team settings', async () => {
    const folder = await temporaryDirectory();
    await writeFile(path.join(folder, 'docent.yaml'), 'channels: { defaultAudience: common }\n');
    await ConnectorStore.in(folder).add({ name: 'hr', kind: 'file-share', sourceId: 'folder:hr', config: { path: '/srv/hr' } });

    expect((await docent(folder, 'list')).out).toContain('no channel settings');
    const set = await docent(folder, 'set', 'slack', 'C0HR', '--sources', 'folder:hr,folder:payroll', '--audience', 'public');
    expect(set.out).toBe('slack channel C0HR: sources folder:hr, folder:payroll; shared answers use public');
    expect(set.err).toContain('no source has been indexed yet under folder:payroll');
    await docent(folder, 'set', 'slack', 'T0ACME', '--team', '--sources', 'folder:hr');

    const listed = await docent(folder, 'list');
    expect(listed.out).toMatch(/slack\s+channel\s+C0HR\s+folder:hr, folder:payroll\s+public/);
    expect(listed.out).toMatch(/slack\s+team\s+T0ACME\s+folder:hr\s+\(default\)/);
    const json = JSON.parse((await docent(folder, 'list', '--json')).out) as { defaultAudience: string; channels: Array<{ id: string }> };
    expect(json.defaultAudience).toBe('common');
    expect(json.channels.map((channel) => channel.id)).toEqual(['C0HR', 'T0ACME']);

    expect((await docent(folder, 'remove', 'slack', 'C0HR')).out).toBe('removed the setting of slack channel C0HR');
    expect((await docent(folder, 'remove', 'slack', 'C0HR')).out).toBe('slack channel C0HR had no setting');
    await expect(docent(folder, 'set', 'slack', 'C1')).rejects.toMatchObject({ code: 'invalid_request' });
  });
});

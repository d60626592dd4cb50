import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const compiledCli = path.join(root, 'dist', 'src', 'cli.js');
const sourceFolders = ['src', 'connectors', 'indexes'];

function newestSourceChange(folder: string): number {
  let newest = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const entryPath = path.join(folder, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSourceChange(entryPath));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(entryPath).mtimeMs);
  }
  return newest;
}

let chosen: string[] | undefined;

/**
 * The Node arguments that start the `docent` command. The compiled build when it is newer than
 * every source file (as after `npm ci`, which builds), because compiling through tsx on each start
 * costs seconds per command, and end-to-end suites start dozens; the sources through tsx otherwise,
 * so that a test never runs stale code.
 */
export function docentCommand(): string[] {
  if (chosen) return chosen;
  const fresh = existsSync(compiledCli) && statSync(compiledCli).mtimeMs >= Math.max(...sourceFolders.map((folder) => newestSourceChange(path.join(root, folder))));
  chosen = fresh ? [compiledCli] : ['--import', 'tsx', path.join(root, 'src', 'cli.ts')];
  return chosen;
}

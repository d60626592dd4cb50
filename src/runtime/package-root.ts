import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding Docent's package.json, whether running from src/ (tests) or dist/ (installed). */
export function packageRoot(): string {
  let directory = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(directory, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'docent') return directory;
    const parent = path.dirname(directory);
    if (parent === directory) throw new Error('cannot find the docent package root');
    directory = parent;
  }
}

/** The sample corpus that ships with Docent, indexed by `npm start` when DOCENT_DOCS is unset. */
export function sampleCorpusPath(): string {
  return path.join(packageRoot(), 'samples', 'handbook');
}

import { type Command, Option } from 'commander';
import type { RetrievalMode } from '../../core/search.js';
import { locationLabel } from '../../answer/location-label.js';
import { openRuntime } from '../../runtime/runtime.js';
import { printJson } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';
import { localPrincipals } from './local-asker.js';

export function registerSearchCommand(program: Command): void {
  program
    .command('search')
    .description('show the passages retrieval finds for a query, with scores')
    .argument('<query>', 'what to search for')
    .addOption(new Option('--mode <mode>', 'retrieval mode').choices(['hybrid', 'fulltext', 'vector']).default('hybrid'))
    .option('--limit <n>', 'number of results', (value) => Number.parseInt(value, 10), 10)
    .option('--source <id...>', 'only these source ids')
    .option('--as <principal...>', 'search as these principals (user:<id>, group:<name>); default: everyone')
    .option('--json', 'print results as JSON')
    .action(async (query: string, options: { mode: RetrievalMode; limit: number; source?: string[]; as?: string[]; json?: boolean }, command: Command) => {
      const runtime = await openRuntime(loadCommandConfig(command.optsWithGlobals<GlobalOptions>()), { create: false });
      try {
        const request: Parameters<typeof runtime.retriever.search>[0] = { query, limit: options.limit, mode: options.mode, principals: localPrincipals(options.as) };
        if (options.source) request.sourceIds = options.source;
        const hits = await runtime.retriever.search(request);
        if (options.json) {
          printJson(hits);
          return;
        }
        if (hits.length === 0) console.log('no results');
        hits.forEach((hit, position) => {
          const where = [hit.chunk.title, locationLabel(hit.chunk)].filter(Boolean).join(' · ');
          const text = hit.chunk.text.replace(/\s+/g, ' ');
          console.log(`${position + 1}. ${hit.score.toFixed(3)}  ${where}\n   ${hit.chunk.uri}\n   ${text.length > 240 ? `${text.slice(0, 240)}…` : text}\n`);
        });
      } finally {
        await runtime.dispose();
      }
    });
}

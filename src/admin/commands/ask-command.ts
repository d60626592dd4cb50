import type { Command } from 'commander';
import type { Answer } from '../../core/answer.js';
import { DocentError } from '../../core/errors.js';
import { openRuntime } from '../../runtime/runtime.js';
import { printJson } from '../terminal.js';
import { loadCommandConfig, type GlobalOptions } from './command-config.js';
import { localAsker } from './local-asker.js';

export function formatAnswer(answer: Answer): string {
  const lines = [answer.text, ''];
  lines.push(answer.notFound ? 'Closest sources:' : 'Sources:');
  for (const citation of answer.citations) {
    lines.push(`[${citation.number}] ${citation.title}${citation.locationLabel ? ` (${citation.locationLabel})` : ''}\n    ${citation.uri}`);
  }
  if (answer.notice) lines.push('', answer.notice);
  lines.push('', `(${answer.generator === 'extractive' ? 'extractive answer' : `answered by ${answer.generator}`}; ${answer.elapsedMs} ms)`);
  return lines.join('\n');
}

export function registerAskCommand(program: Command): void {
  program
    .command('ask')
    .description('answer a question from the indexed documents, with citations')
    .argument('<question>', 'the question')
    .option('--as <principal...>', 'ask as these principals (user:<id>, group:<name>); default: everyone')
    .option('--source <id...>', 'only use these source ids')
    .option('--json', 'print the answer as JSON')
    .action(async (question: string, options: { as?: string[]; source?: string[]; json?: boolean }, command: Command) => {
      const runtime = await openRuntime(loadCommandConfig(command.optsWithGlobals<GlobalOptions>()), { create: false });
      try {
        // Every answer is recorded: a log that cannot take the record stops the question before the model runs.
        await runtime.audit.ready().catch((error: DocentError) => {
          throw new DocentError(error.code, `cannot answer without recording the answer: ${error.message}`, { cause: error, retryable: error.retryable });
        });
        const request: Parameters<typeof runtime.engine.ask>[0] = { text: question, asker: localAsker(options.as), conversation: { platform: 'cli', visibility: 'private' } };
        if (options.source) request.sourceIds = options.source;
        const answer = await runtime.engine.ask(request);
        if (options.json) printJson(answer);
        else console.log(formatAnswer(answer));
      } finally {
        await runtime.dispose();
      }
    });
}

import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatTable } from '../src/admin/terminal.js';
import { configSchema } from '../src/config/schema.js';
import { indexFolder } from '../src/runtime/index-folder.js';
import { sampleCorpusPath } from '../src/runtime/package-root.js';
import { openRuntime } from '../src/runtime/runtime.js';
import { runDirectEngineLoad, withEventLoopDelay, type ChatLoadResult } from './chat-load.js';
import { runSlackChatLoad } from './slack-chat-load.js';
import { runTeamsChatLoad } from './teams-chat-load.js';

/**
 * `npm run bench:chat`: 200 questions from 20 concurrent simulated users through each chat
 * surface against local stand-ins of the platforms (Slack's in a child process, as it is
 * another machine in production), answered by the real answer engine
 * with the extractive answerer over the sample corpus (no language model, so the figures
 * are the surfaces' and retrieval's, not a model's). Side by side: the same questions and
 * users calling the answer engine directly, the limit. A surface's overhead is, per
 * question, its time to the final answer minus the engine's own time within it; the
 * target is under 50 ms at p95.
 *
 * `--questions N` and `--users N` (or BENCH_QUESTIONS, BENCH_USERS) make a shorter run.
 * The 200 questions are the sample's 30 asked again and again. Real traffic is mostly
 * questions not asked before, so by default nothing is remembered between questions
 * (`retrieval.vectorCacheMegabytes: 0`): every question embeds its sentences afresh, as
 * in every run before the vectors were remembered. `--warm` keeps the product's default
 * memory, so after the warm-up every vector is remembered: answers cost a few ms each
 * instead of hundreds, the 20 users ask far more questions per second, and the load
 * moves from the embedding threads to the event loop the surfaces share.
 */
const { values: argumentsGiven } = parseArgs({ options: { questions: { type: 'string' }, users: { type: 'string' }, warm: { type: 'boolean', default: false } } });
const users = positive('--users', argumentsGiven.users ?? process.env.BENCH_USERS ?? '20');
const total = positive('--questions', argumentsGiven.questions ?? process.env.BENCH_QUESTIONS ?? '200');

function positive(name: string, value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) {
    console.error(`${name} must be a whole number above 0 (got "${value}")`);
    process.exit(2);
  }
  return number;
}

const questions = readFileSync(path.join(sampleCorpusPath(), '..', 'questions.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((line) => (JSON.parse(line) as { question: string }).question);

const workDirectory = await mkdtemp(path.join(tmpdir(), 'docent-bench-chat-'));
// Settings from the schema alone: a DOCENT_LLM_MODEL in the environment must not turn the answerer generative.
const config = configSchema.parse({ dataDir: path.join(workDirectory, 'data'), ...(argumentsGiven.warm ? {} : { retrieval: { vectorCacheMegabytes: 0 } }) });
const runtime = await openRuntime(config, { create: true });
try {
  console.log(`indexing the sample corpus (${runtime.embedder.modelId}); then ${total} questions from ${users} users per path, ${argumentsGiven.warm ? 'vectors remembered across questions (--warm)' : 'every vector computed afresh'}`);
  await indexFolder(runtime, sampleCorpusPath());
  // Untimed: loads the embedding model, warms the index and the code paths and, with --warm, puts every question's vectors in memory, so the first path timed is not the only one that computes them.
  await runDirectEngineLoad(runtime.engine, questions, { users: 2, total: questions.length });

  const results: ChatLoadResult[] = [];
  results.push(await withEventLoopDelay(() => runDirectEngineLoad(runtime.engine, questions, { users, total })));
  // Slack.
  results.push(await withEventLoopDelay(() => runSlackChatLoad({ engine: runtime.engine, questions, users, total, mode: 'socket' })));
  results.push(await withEventLoopDelay(() => runSlackChatLoad({ engine: runtime.engine, questions, users, total, mode: 'http' })));
  // Microsoft Teams.
  results.push(await withEventLoopDelay(() => runTeamsChatLoad({ engine: runtime.engine, questions, users, total })));
  // The engine again, last: the machine may have warmed or cooled since the first run.
  results.push({ ...(await withEventLoopDelay(() => runDirectEngineLoad(runtime.engine, questions, { users, total }))), path: 'answer engine (direct, again)' });

  const milliseconds = (value: number | undefined): string => (value === undefined || Number.isNaN(value) ? '-' : value.toFixed(1));
  console.log(
    formatTable(
      ['path', 'questions', 'users', 'first reply p50 ms', 'first reply p95 ms', 'final answer p50 ms', 'final answer p95 ms', 'overhead p50 ms', 'overhead p95 ms', 'failed', 'questions/s'],
      results.map((result) => [
        result.path,
        result.questions,
        result.users,
        milliseconds(result.firstReply.p50),
        milliseconds(result.firstReply.p95),
        milliseconds(result.finalAnswer.p50),
        milliseconds(result.finalAnswer.p95),
        result.path.startsWith('answer engine') ? '-' : milliseconds(result.overhead?.p50),
        result.path.startsWith('answer engine') ? '-' : milliseconds(result.overhead?.p95),
        result.failures,
        (result.questions / (result.wallMs / 1000)).toFixed(1),
      ]),
    ),
  );
  const surfaces = results.filter((result) => result.overheadBeforeEngine);
  console.log(
    `\nwhere each surface's overhead goes (ms): before the engine is called (receive, acknowledge, resolve the asker) and after it answers (render, send the final message)\n${formatTable(
      ['path', 'before p50', 'before p95', 'after p50', 'after p95'],
      surfaces.map((result) => [result.path, milliseconds(result.overheadBeforeEngine!.p50), milliseconds(result.overheadBeforeEngine!.p95), milliseconds(result.overheadAfterEngine!.p50), milliseconds(result.overheadAfterEngine!.p95)]),
    )}`,
  );
  console.log(
    `\nthe Docent process's event loop during each path (ms): how late a timer that should fire every 10 ms fired, and the share of time the loop was busy\n${formatTable(
      ['path', 'delay p50', 'delay p99', 'delay max', 'loop busy %'],
      results.map((result) => [result.path, milliseconds(result.eventLoop?.delayP50), milliseconds(result.eventLoop?.delayP99), milliseconds(result.eventLoop?.delayMax), result.eventLoop ? (100 * result.eventLoop.utilisation).toFixed(0) : '-']),
    )}`,
  );
  const overBudget = results.filter((result) => !result.path.startsWith('answer engine') && (result.overhead?.p95 ?? Number.POSITIVE_INFINITY) >= 50);
  if (overBudget.length > 0) console.log(`over the 50 ms p95 overhead target: ${overBudget.map((result) => result.path).join(', ')}`);
} finally {
  await runtime.dispose();
  await rm(workDirectory, { recursive: true, force: true });
}

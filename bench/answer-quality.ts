import { readFileSync } from 'node:fs';
import path from 'node:path';
import { formatTable } from '../src/admin/terminal.js';
import { loadConfig } from '../src/config/load.js';
import { indexFolder } from '../src/runtime/index-folder.js';
import { openRuntime } from '../src/runtime/runtime.js';
import { sampleCorpusPath } from '../src/runtime/package-root.js';

/**
 * `npm run eval:answers`: indexes the sample corpus (into the configured data directory)
 * and asks its 30 questions, checking that each answer cites the right document and quotes
 * the expected fact, and that unanswerable questions get "not found". Prints each miss and
 * a summary table by language.
 */
interface SampleQuestion {
  question: string;
  answerContains: string[];
  document: string | null;
  language: string;
}

const questionsFile = path.join(sampleCorpusPath(), '..', 'questions.jsonl');
const questions = readFileSync(questionsFile, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as SampleQuestion);
const runtime = await openRuntime(loadConfig(), { create: true });
try {
  await indexFolder(runtime, sampleCorpusPath());
  const results: { language: string; kind: string; correct: boolean; milliseconds: number }[] = [];
  for (const sample of questions) {
    // The unaudited engine: an evaluation's questions are not employees' questions and leave no audit records.
    const answer = await runtime.answerEngine.ask({ text: sample.question, asker: { id: 'eval', principals: ['everyone'] } });
    const cited = answer.citations.map((citation) => path.basename(citation.uri));
    const quoted = answer.notFound ? '' : answer.text + answer.citations.map((citation) => citation.excerpt).join(' ');
    const correct =
      sample.document === null ? answer.notFound : !answer.notFound && cited.includes(sample.document) && sample.answerContains.some((part) => quoted.includes(part));
    if (!correct) console.log(`MISS ${sample.question}\n     expected ${sample.document ?? 'not found'}: ${sample.answerContains.join(' | ')}\n     got ${answer.notFound ? 'not found' : answer.text.slice(0, 240)} [${cited.join(', ')}]`);
    results.push({ language: sample.language, kind: sample.document === null ? 'unanswerable' : 'answerable', correct, milliseconds: answer.elapsedMs });
  }
  const groups = new Map<string, typeof results>();
  for (const result of results) {
    const key = `${result.language} ${result.kind}`;
    groups.set(key, [...(groups.get(key) ?? []), result]);
  }
  const rows = [...groups.entries(), ['all', results] as const].map(([name, group]) => {
    const times = group.map((result) => result.milliseconds).sort((a, b) => a - b);
    return [name, group.length, group.filter((result) => result.correct).length, `${((group.filter((result) => result.correct).length / group.length) * 100).toFixed(0)}%`, times[Math.floor(times.length / 2)]!];
  });
  console.log(`\n${formatTable(['questions', 'count', 'correct', 'share', 'median ms'], rows)}`);
} finally {
  await runtime.dispose();
}

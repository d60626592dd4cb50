import { createReadStream, existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { DocentError } from '../core/errors.js';
import type { Judgements } from './metrics.js';

export interface BeirDocument {
  id: string;
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

async function* jsonLines(file: string): AsyncGenerator<{ value: Record<string, unknown>; line: number }> {
  if (!existsSync(file)) throw new DocentError('invalid_request', `${file} does not exist`);
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    if (!line.trim()) continue;
    try {
      yield { value: JSON.parse(line) as Record<string, unknown>, line: number };
    } catch (error) {
      throw new DocentError('invalid_request', `${file}:${number}: not valid JSON: ${(error as Error).message}`);
    }
  }
}

/** Reads `corpus.jsonl` records `{_id, title, text}` one at a time (corpora can be large). */
export async function* readBeirCorpus(file: string): AsyncGenerator<BeirDocument> {
  for await (const { value, line } of jsonLines(file)) {
    const id = value._id ?? value.id;
    if (id === undefined || typeof value.text !== 'string') throw new DocentError('invalid_request', `${file}:${line}: expected {"_id", "title", "text"}`);
    yield { id: String(id), title: typeof value.title === 'string' ? value.title : '', text: value.text };
  }
}

export async function readBeirQueries(file: string): Promise<BeirQuery[]> {
  const queries: BeirQuery[] = [];
  for await (const { value, line } of jsonLines(file)) {
    const id = value._id ?? value.id;
    if (id === undefined || typeof value.text !== 'string') throw new DocentError('invalid_request', `${file}:${line}: expected {"_id", "text"}`);
    queries.push({ id: String(id), text: value.text });
  }
  return queries;
}

/**
 * Reads relevance judgements: a TSV `query-id corpus-id score` with or without header, or
 * a BEIR `qrels/` folder, preferring test.tsv, then dev.tsv, then the only file there.
 */
export async function readBeirQrels(fileOrFolder: string): Promise<Map<string, Judgements>> {
  let file = fileOrFolder;
  if (existsSync(fileOrFolder) && statSync(fileOrFolder).isDirectory()) {
    const files = readdirSync(fileOrFolder).filter((name) => name.endsWith('.tsv'));
    const chosen = ['test.tsv', 'dev.tsv'].find((name) => files.includes(name)) ?? (files.length === 1 ? files[0] : undefined);
    if (!chosen) throw new DocentError('invalid_request', `${fileOrFolder}: expected test.tsv, dev.tsv or a single .tsv file`);
    file = path.join(fileOrFolder, chosen);
  }
  if (!existsSync(file)) throw new DocentError('invalid_request', `${file} does not exist`);
  const qrels = new Map<string, Judgements>();
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let number = 0;
  for await (const line of lines) {
    number++;
    const fields = line.trim().split('\t');
    if (fields.length < 3) {
      if (line.trim()) throw new DocentError('invalid_request', `${file}:${number}: expected query-id, corpus-id and score separated by tabs`);
      continue;
    }
    const [queryId, documentId, scoreText] = fields as [string, string, string];
    const score = Number(scoreText);
    if (Number.isNaN(score)) {
      if (number === 1) continue;
      throw new DocentError('invalid_request', `${file}:${number}: score "${scoreText}" is not a number`);
    }
    const judgements = qrels.get(queryId) ?? new Map<string, number>();
    judgements.set(documentId, score);
    qrels.set(queryId, judgements);
  }
  return qrels;
}

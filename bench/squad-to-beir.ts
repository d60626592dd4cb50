import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

interface SquadFile {
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string }[] }[] }[];
}

/**
 * Turns a SQuAD-format question-answering set (KorQuAD is one) into a BEIR-layout
 * paragraph-retrieval benchmark: each distinct paragraph is a document (id = article
 * title + paragraph number, title = the article's), each question a query whose one
 * relevant document is the paragraph it was written from. Written to a scratch folder at
 * evaluation time: the source's licence may forbid redistributing derived files.
 */
export async function squadToBeir(squadFile: string, outputFolder: string): Promise<{ corpus: string; queries: string; qrels: string }> {
  const squad = JSON.parse(await readFile(squadFile, 'utf8')) as SquadFile;
  const idsByContext = new Map<string, string>();
  const corpus: string[] = [];
  const queries: string[] = [];
  const qrels: string[] = ['query-id\tcorpus-id\tscore'];
  for (const article of squad.data) {
    article.paragraphs.forEach((paragraph, position) => {
      let id = idsByContext.get(paragraph.context);
      if (!id) {
        id = `${article.title}-${position}`;
        idsByContext.set(paragraph.context, id);
        corpus.push(JSON.stringify({ _id: id, title: article.title, text: paragraph.context }));
      }
      for (const question of paragraph.qas) {
        queries.push(JSON.stringify({ _id: question.id, text: question.question }));
        qrels.push(`${question.id}\t${id}\t1`);
      }
    });
  }
  await mkdir(path.join(outputFolder, 'qrels'), { recursive: true });
  const files = { corpus: path.join(outputFolder, 'corpus.jsonl'), queries: path.join(outputFolder, 'queries.jsonl'), qrels: path.join(outputFolder, 'qrels', 'test.tsv') };
  await writeFile(files.corpus, `${corpus.join('\n')}\n`);
  await writeFile(files.queries, `${queries.join('\n')}\n`);
  await writeFile(files.qrels, `${qrels.join('\n')}\n`);
  return files;
}

import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatTable } from '../src/admin/terminal.js';
import { loadConfig } from '../src/config/load.js';
import { embeddingTextOf } from '../src/pipeline/index-documents.js';
import { documentText } from '../src/pipeline/chunk.js';
import { parseDocument } from '../src/pipeline/parse/parse-document.js';
import { FileShareConnector, fileShareConfigSchema } from '../connectors/file-share/index.js';
import { indexFolder } from '../src/runtime/index-folder.js';
import { calibrateFusion } from '../src/retrieval/calibrate-fusion.js';
import { openRuntime } from '../src/runtime/runtime.js';
import { writeMixedCorpus } from './ingest-corpus.js';
import { runLangChainPeer } from './langchain-peer.js';

/**
 * `npm run bench:ingest [-- documents]`: indexes a generated corpus of mixed formats and
 * prints, side by side, Docent's pipeline, the same embedder called alone on the same
 * chunks (the limit), and the common LangChain.js pipeline with the same embedder; then
 * the re-index of the unchanged corpus.
 */
const documentCount = Number(process.argv[2] ?? 2000);
const workDirectory = path.join(tmpdir(), `docent-bench-ingest-${process.pid}`);
const corpus = path.join(workDirectory, 'corpus');
const seconds = (start: number): number => (performance.now() - start) / 1000;

console.error(`writing ${documentCount} documents to ${corpus}`);
await writeMixedCorpus(corpus, documentCount);

// A fixed fusion weight keeps calibration out of the timed index run; it is timed on its own below.
const config = loadConfig({ environment: { ...process.env, DOCENT_DATA_DIR: path.join(workDirectory, 'data'), DOCENT_RETRIEVAL_VECTOR_WEIGHT: '0.25' } });
const runtime = await openRuntime(config, { create: true });
try {
  await runtime.embedder.embedQuery('warm up');

  console.error('Docent: index');
  let start = performance.now();
  const first = await indexFolder(runtime, corpus);
  const docentSeconds = seconds(start);
  if (first.failed > 0) console.error(`${first.failed} documents failed: ${first.failures.slice(0, 3).map((failure) => failure.message).join('; ')}`);

  console.error('Docent: fusion calibration');
  start = performance.now();
  const calibration = await calibrateFusion(runtime.index, runtime.embedder, { candidates: config.retrieval.candidates });
  const calibrationSeconds = seconds(start);

  console.error('Docent: re-index unchanged');
  start = performance.now();
  const second = await indexFolder(runtime, corpus);
  const reindexSeconds = seconds(start);

  const chunks = (await Promise.all([...(await runtime.index.documents()).keys()].map((id) => runtime.index.documentChunks(id)))).flat();
  console.error(`raw embedder: ${chunks.length} chunks`);
  start = performance.now();
  await runtime.embedder.embedDocuments(chunks.map(embeddingTextOf));
  const rawSeconds = seconds(start);

  console.error('LangChain.js peer');
  start = performance.now();
  const texts: { source: string; text: string }[] = [];
  // The same file walker Docent uses, asked for every file (nothing counts as indexed).
  const share = new FileShareConnector(fileShareConfigSchema.parse({ path: corpus, permissions: 'everyone' }), { name: 'peer', env: {}, cacheDirectory: workDirectory, maxDocumentBytes: config.ingest.maxFileBytes }, 'peer');
  for await (const item of share.load(undefined, { signal: new AbortController().signal, indexedVersion: () => undefined, log: () => undefined })) {
    if (!('document' in item)) continue;
    const parsed = await parseDocument({ name: item.document.name, content: item.document.content });
    texts.push({ source: item.document.uri, text: documentText(parsed) });
    for (const attachment of parsed.attachments ?? []) texts.push({ source: `${item.document.uri}#${attachment.name}`, text: documentText(await parseDocument(attachment)) });
  }
  const peer = await runLangChainPeer(texts, runtime.embedder, path.join(workDirectory, 'peer'));
  const peerSeconds = seconds(start);

  const row = (name: string, documents: number, chunkCount: number, elapsed: number, note: string): (string | number)[] => [
    name, documents, chunkCount, elapsed.toFixed(1), (documents / elapsed).toFixed(2), (chunkCount / elapsed).toFixed(2), note,
  ];
  const documents = first.seen;
  console.log(`\nIngest benchmark: ${documentCount} generated documents (md, txt, html, docx, pdf, pptx, xlsx, csv, eml), embedder ${runtime.embedder.modelId}\n`);
  console.log(
    formatTable(
      ['pipeline', 'documents', 'chunks', 'seconds', 'documents/s', 'chunks/s', 'note'],
      [
        row('Docent (parse, chunk, embed, LanceDB)', documents, first.chunks, docentSeconds, `overhead over raw embedder ${(((docentSeconds - rawSeconds) / rawSeconds) * 100).toFixed(1)}%`),
        [`Docent fusion calibration, once per corpus (${calibration.queries} synthetic queries)`, '', '', calibrationSeconds.toFixed(1), '', '', `vector weight ${calibration.vectorWeight}`],
        row('same embedder alone, same chunks (limit)', documents, chunks.length, rawSeconds, 'no parsing, no writing'),
        row('LangChain.js splitter + embedder + LanceDB', texts.length, peer.chunks, peerSeconds, `Docent is ${(peerSeconds / docentSeconds).toFixed(2)}x faster`),
        row('Docent re-index, corpus unchanged', second.seen, second.chunks, reindexSeconds, `${(docentSeconds / reindexSeconds).toFixed(0)}x faster than the first index`),
      ],
    ),
  );
} finally {
  await runtime.dispose();
  await rm(workDirectory, { recursive: true, force: true });
}

import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeDocx, makeEml, makePdf, makePptx, makeXlsx } from '../test/fixtures/documents.js';
import { asHtml, asMarkdown, asPlainText, syntheticDocument } from './synthetic-corpus.js';

const formats = ['md', 'txt', 'html', 'docx', 'pdf', 'pptx', 'xlsx', 'csv', 'eml'] as const;

/** Writes `count` synthetic documents cycling through every supported format; returns the folder. */
export async function writeMixedCorpus(folder: string, count: number): Promise<string> {
  await mkdir(folder, { recursive: true });
  for (let number = 0; number < count; number++) {
    const format = formats[number % formats.length]!;
    const document = syntheticDocument(number, 1);
    const name = path.join(folder, `document-${String(number).padStart(5, '0')}.${format}`);
    const paragraphs = document.sections.flatMap((section) => section.paragraphs);
    let content: string | Uint8Array;
    switch (format) {
      case 'md':
        content = asMarkdown(document);
        break;
      case 'txt':
        content = asPlainText(document);
        break;
      case 'html':
        content = asHtml(document);
        break;
      case 'docx':
        content = await makeDocx({ title: document.title, blocks: [{ heading: document.title, level: 1 }, ...document.sections.flatMap((section) => [{ heading: section.heading, level: 2 as const }, ...section.paragraphs.map((paragraph) => ({ paragraph }))])] });
        break;
      case 'pdf':
        content = await makePdf({ title: document.title, pages: document.sections.map((section) => [section.heading, '', ...wrap(section.paragraphs.join(' '), 90)]) });
        break;
      case 'pptx':
        content = await makePptx({ title: document.title, slides: document.sections.map((section) => ({ title: section.heading, bullets: section.paragraphs })) });
        break;
      case 'xlsx':
        content = await makeXlsx({ title: document.title, sheets: [{ name: 'Rules', rows: [['Section', 'Rule'], ...document.sections.flatMap((section) => section.paragraphs.map((paragraph) => [section.heading, paragraph]))] }] });
        break;
      case 'csv':
        content = ['section,rule', ...document.sections.flatMap((section) => section.paragraphs.map((paragraph) => `${section.heading},"${paragraph.replace(/"/g, '""')}"`))].join('\n');
        break;
      case 'eml':
        content = await makeEml({ subject: document.title, text: paragraphs.join('\n\n') });
        break;
    }
    await writeFile(name, content);
  }
  return folder;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

import JSZip from 'jszip';
import mammoth from 'mammoth';
import type { ParsedDocument } from '../../core/document.js';
import { BlockBuilder } from './block-builder.js';
import { addHtmlBlocks, inlineTextOf, parseHtmlDocument } from './html-to-blocks.js';
import { readCoreProperties } from './office-properties.js';

// Added to mammoth's default style map, which already maps Heading 1-6 to h1-h6 and
// Word's list styles to lists. Word's "Title" style is the document's visible title, and
// it would otherwise come out as an ordinary paragraph.
const styleMap = ["p[style-name='Title'] => h1.document-title:fresh", "p[style-name='Subtitle'] => p:fresh"];

/**
 * Parses a Word document (.docx, .docm, .dotx) by converting it to HTML with mammoth
 * (which understands Word's styles, lists and tables) and reading that HTML into
 * blocks: headings with their levels, paragraphs, lists, tables. Images are left out,
 * footnotes and endnotes come last, as mammoth places them.
 */
export async function parseDocx(content: Uint8Array): Promise<ParsedDocument> {
  const buffer = Buffer.from(content.buffer, content.byteOffset, content.byteLength);
  const result = await mammoth.convertToHtml(
    { buffer },
    {
      styleMap,
      ignoreEmptyParagraphs: true,
      // Images are not indexed; an empty source spares mammoth base64-encoding each one.
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: '' })),
    },
  );
  const document = parseHtmlDocument(result.value);
  const builder = new BlockBuilder();
  if (document.body !== null) addHtmlBlocks(builder, document.body);

  const { title: propertiesTitle, ...metadata } = await readCoreProperties(await JSZip.loadAsync(buffer));
  const titleElement = document.querySelector('h1.document-title');
  const styledTitle = titleElement === null ? '' : inlineTextOf(titleElement);
  const firstHeading = builder.blocks.find((block) => block.kind === 'heading' && block.level === 1)?.text;
  const title = propertiesTitle ?? (styledTitle === '' ? firstHeading : styledTitle);
  return { blocks: builder.blocks, metadata, ...(title === undefined ? {} : { title }) };
}

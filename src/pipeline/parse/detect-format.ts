import { DocentError } from '../../core/errors.js';
import { classifyCompoundFile, isCompoundFile, readCompoundFileEntryNames } from './compound-file.js';
import { decodeText, type DecodedText } from './decode-text.js';
import { hasCentralDirectory, readZipEntries, readZipEntryText, type ZipEntry } from './zip-directory.js';

export type DocumentFormat = 'pdf' | 'docx' | 'pptx' | 'xlsx' | 'html' | 'markdown' | 'text' | 'csv' | 'email';

/** The detected format, and for text formats the decoded text, so that it is decoded once. */
export interface FormatDetection {
  format: DocumentFormat;
  decoded?: DecodedText;
}

/**
 * Thrown for binary content nothing here recognises; carries the reason so that the
 * caller can ask a fuller signature database (file-type) for a better name.
 */
export class UnrecognisedBinaryError extends DocentError {
  constructor(
    code: 'format_unsupported' | 'binary_content',
    message: string,
    readonly fileName: string,
  ) {
    super(code, message);
  }
}

const markdownExtensions = new Set(['md', 'markdown', 'mdown', 'mkd', 'mkdn', 'mdwn', 'mdtxt', 'mdtext']);
const csvExtensions = new Set(['csv', 'tsv', 'tab']);
const htmlExtensions = new Set(['html', 'htm', 'xhtml', 'xht', 'shtml']);
const emailExtensions = new Set(['eml', 'mht', 'mhtml']);
const plainTextExtensions = new Set(['txt', 'text', 'log', 'rst', 'adoc', 'asciidoc', 'org', 'nfo', 'me', '1st', 'readme']);
const officeExtensions: Record<string, string> = {
  pdf: 'PDF',
  docx: 'Word',
  docm: 'Word',
  dotx: 'Word',
  xlsx: 'Excel',
  xlsm: 'Excel',
  xltx: 'Excel',
  pptx: 'PowerPoint',
  pptm: 'PowerPoint',
  ppsx: 'PowerPoint',
  potx: 'PowerPoint',
};

// Textual formats that would index as noise if read as plain text; each needs a parser
// of its own that this product does not have.
const unsupportedTextExtensions: Record<string, string> = {
  json: 'JSON data',
  jsonl: 'JSON Lines data',
  ndjson: 'JSON Lines data',
  geojson: 'GeoJSON data',
  ipynb: 'a Jupyter notebook',
  xml: 'XML data',
  xsd: 'an XML schema',
  xsl: 'an XSLT stylesheet',
  svg: 'an SVG image',
  rss: 'an RSS feed',
  atom: 'an Atom feed',
  rtf: 'a Rich Text Format document',
  ps: 'a PostScript file',
  eps: 'an Encapsulated PostScript image',
  ics: 'a calendar file',
  vcf: 'a vCard file',
};

interface Signature {
  offset: number;
  bytes: readonly number[];
  description: string;
  /** Extra check for signatures short enough to occur at the start of text by chance. */
  confirm?: (bytes: Uint8Array) => boolean;
}

const ascii = (text: string): number[] => [...text].map((character) => character.charCodeAt(0));
const riffOf = (kind: string) => (bytes: Uint8Array): boolean => Buffer.from(bytes.subarray(8, 12)).toString('latin1') === kind;

const binarySignatures: readonly Signature[] = [
  { offset: 0, bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], description: 'a PNG image' },
  { offset: 0, bytes: [0xff, 0xd8, 0xff], description: 'a JPEG image' },
  { offset: 0, bytes: ascii('GIF87a'), description: 'a GIF image' },
  { offset: 0, bytes: ascii('GIF89a'), description: 'a GIF image' },
  { offset: 0, bytes: [0x49, 0x49, 0x2a, 0x00], description: 'a TIFF image' },
  { offset: 0, bytes: [0x4d, 0x4d, 0x00, 0x2a], description: 'a TIFF image' },
  { offset: 0, bytes: ascii('8BPS'), description: 'a Photoshop image' },
  { offset: 0, bytes: [0x00, 0x00, 0x01, 0x00], description: 'an icon image' },
  { offset: 0, bytes: ascii('BM'), description: 'a bitmap image', confirm: (bytes) => bytes.length > 14 && new DataView(bytes.buffer, bytes.byteOffset).getUint32(2, true) === bytes.length },
  { offset: 0, bytes: ascii('RIFF'), description: 'a WAV audio file', confirm: riffOf('WAVE') },
  { offset: 0, bytes: ascii('RIFF'), description: 'a WebP image', confirm: riffOf('WEBP') },
  { offset: 0, bytes: ascii('RIFF'), description: 'an AVI video', confirm: riffOf('AVI ') },
  { offset: 0, bytes: ascii('RIFF'), description: 'a RIFF media file', confirm: (bytes) => bytes.subarray(4, 8).some((byte) => byte < 0x20) },
  { offset: 4, bytes: ascii('ftyp'), description: 'an MP4/QuickTime audio or video file (or HEIC image)' },
  { offset: 0, bytes: ascii('ID3'), description: 'an MP3 audio file', confirm: (bytes) => (bytes[3] ?? 0xff) <= 4 },
  { offset: 0, bytes: [0xff, 0xfb], description: 'an MP3 audio file' },
  { offset: 0, bytes: [0xff, 0xf3], description: 'an MP3 audio file' },
  { offset: 0, bytes: [0xff, 0xf2], description: 'an MP3 audio file' },
  { offset: 0, bytes: [...ascii('OggS'), 0x00], description: 'an Ogg audio or video file' },
  { offset: 0, bytes: ascii('fLaC'), description: 'a FLAC audio file' },
  { offset: 0, bytes: [0x1a, 0x45, 0xdf, 0xa3], description: 'a Matroska/WebM video' },
  { offset: 0, bytes: [0x1f, 0x8b], description: 'a gzip archive' },
  { offset: 0, bytes: ascii('BZh'), description: 'a bzip2 archive', confirm: (bytes) => bytes[3] !== undefined && bytes[3] >= 0x31 && bytes[3] <= 0x39 },
  { offset: 0, bytes: [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c], description: 'a 7-Zip archive' },
  { offset: 0, bytes: [...ascii('Rar!'), 0x1a, 0x07], description: 'a RAR archive' },
  { offset: 0, bytes: [0xfd, ...ascii('7zXZ'), 0x00], description: 'an XZ archive' },
  { offset: 0, bytes: [0x28, 0xb5, 0x2f, 0xfd], description: 'a Zstandard archive' },
  { offset: 257, bytes: ascii('ustar'), description: 'a tar archive' },
  { offset: 0, bytes: [0x7f, ...ascii('ELF')], description: 'an executable (ELF)' },
  { offset: 0, bytes: ascii('MZ'), description: 'a Windows executable', confirm: (bytes) => bytes.length > 64 && bytes.includes(0) },
  { offset: 0, bytes: [0xca, 0xfe, 0xba, 0xbe], description: 'a Java class or Mach-O file' },
  { offset: 0, bytes: [0x00, ...ascii('asm')], description: 'a WebAssembly module' },
  { offset: 0, bytes: [...ascii('SQLite format 3'), 0x00], description: 'an SQLite database' },
  { offset: 0, bytes: ascii('wOFF'), description: 'a web font', confirm: (bytes) => bytes[4] === 0 },
  { offset: 0, bytes: ascii('wOF2'), description: 'a web font', confirm: (bytes) => bytes[4] === 0 },
  { offset: 0, bytes: ascii('OTTO'), description: 'a font file', confirm: (bytes) => bytes[4] === 0 },
  { offset: 0, bytes: [0x00, 0x01, 0x00, 0x00, 0x00], description: 'a font file' },
  { offset: 0, bytes: ascii('{\\rtf'), description: 'a Rich Text Format document' },
  { offset: 0, bytes: ascii('%!PS'), description: 'a PostScript file' },
  { offset: 0, bytes: ascii('AT&TFORM'), description: 'a DjVu document' },
  { offset: 0, bytes: [...ascii('MSCF'), 0x00, 0x00, 0x00, 0x00], description: 'a Windows cabinet archive' },
];

/** The extension of a file name, lower case and without the dot; '' when there is none. */
export function fileExtension(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? name;
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot + 1).toLowerCase();
}

/**
 * Decides a file's format from its content first and its name second: magic bytes for
 * PDF and the ZIP- and OLE-based Office formats, header lines for e-mail, markup for
 * HTML; only for plain text does the extension choose between Markdown, CSV and text.
 * Throws a DocentError for empty, encrypted, binary and unsupported files.
 */
export function detectFormat(content: Uint8Array, name: string): DocumentFormat {
  return inspectContent(content, name).format;
}

/** {@link detectFormat}, also handing back the decoded text of text formats. */
export function inspectContent(content: Uint8Array, name: string, declaredEncoding?: string): FormatDetection {
  if (content.length === 0) throw new DocentError('file_empty', `${name} is empty (0 bytes); there is nothing to index.`);
  const extension = fileExtension(name);

  if (isPdf(content)) return { format: 'pdf' };
  if (isZip(content)) return { format: detectZipFormat(content, name, extension) };
  if (isCompoundFile(content)) throw compoundFileError(content, name);

  const signature = binarySignatures.find((candidate) => matches(content, candidate));
  if (signature !== undefined) {
    throw new DocentError('format_unsupported', `${name} is ${signature.description}, which is not a supported document format.`);
  }

  const decoded = decodeText(content, declaredEncoding === undefined ? {} : { declaredEncoding });
  if (looksBinary(content, decoded)) {
    const office = officeExtensions[extension];
    if (office !== undefined) {
      throw new DocentError('file_corrupt', `${name} has a .${extension} extension but does not contain a ${office} file; it is damaged or mislabelled.`);
    }
    if (isTextExtension(extension)) {
      throw new UnrecognisedBinaryError('binary_content', `${name} has a .${extension} extension but contains binary data, not text.`, name);
    }
    throw new UnrecognisedBinaryError('format_unsupported', `${name} contains binary data of an unrecognised type${extension === '' ? '' : ` (.${extension})`}; it is not a supported document format.`, name);
  }

  return { format: detectTextFormat(decoded.text, name, extension), decoded };
}

function detectTextFormat(text: string, name: string, extension: string): DocumentFormat {
  const start = text.replace(/^\uFEFF/, '').trimStart().slice(0, 4096);
  const lowerStart = start.toLowerCase();

  if (htmlExtensions.has(extension) || looksLikeHtmlDocument(lowerStart)) return 'html';
  // Markdown and text files may open with markup (READMEs often start with a centred
  // <div> or <p>); only a name that says nothing lets a fragment decide.
  if (!isTextExtension(extension) && looksLikeHtmlFragment(lowerStart)) return 'html';
  if (lowerStart.startsWith('<?xml') || lowerStart.startsWith('<rss') || lowerStart.startsWith('<feed') || lowerStart.startsWith('<svg')) {
    const kind = /<rss[\s>]/.test(lowerStart) ? 'an RSS feed' : /<feed[\s>]/.test(lowerStart) ? 'an Atom feed' : /<svg[\s>]/.test(lowerStart) ? 'an SVG image' : 'XML data';
    throw new DocentError('format_unsupported', `${name} is ${kind}, which is not a supported document format.`);
  }
  if (emailExtensions.has(extension) || looksLikeEmail(start)) return 'email';
  if (markdownExtensions.has(extension)) return 'markdown';
  if (csvExtensions.has(extension)) return 'csv';
  const unsupported = unsupportedTextExtensions[extension];
  if (unsupported !== undefined) throw new DocentError('format_unsupported', `${name} is ${unsupported}, which is not a supported document format.`);
  if (lowerStart.startsWith('{\\rtf')) throw new DocentError('format_unsupported', `${name} is a Rich Text Format document, which is not a supported document format.`);
  return 'text';
}

function isTextExtension(extension: string): boolean {
  return (
    plainTextExtensions.has(extension) ||
    markdownExtensions.has(extension) ||
    csvExtensions.has(extension) ||
    htmlExtensions.has(extension) ||
    emailExtensions.has(extension) ||
    extension in unsupportedTextExtensions
  );
}

function matches(content: Uint8Array, signature: Signature): boolean {
  if (content.length < signature.offset + signature.bytes.length) return false;
  const prefixMatches = signature.bytes.every((byte, index) => content[signature.offset + index] === byte);
  return prefixMatches && (signature.confirm === undefined || signature.confirm(content));
}

function isPdf(content: Uint8Array): boolean {
  const head = Buffer.from(content.subarray(0, 1024));
  const header = head.indexOf('%PDF-', 0, 'latin1');
  if (header === 0) return true;
  // Readers accept the header anywhere in the first 1024 bytes (some generators put junk
  // first), but text that merely mentions "%PDF-" must not become a PDF: a real one also
  // ends with the cross-reference trailer.
  return header > 0 && Buffer.from(content.subarray(Math.max(0, content.length - 1024))).includes('startxref', 0, 'latin1');
}

function isZip(content: Uint8Array): boolean {
  return content[0] === 0x50 && content[1] === 0x4b && ((content[2] === 3 && content[3] === 4) || (content[2] === 5 && content[3] === 6) || (content[2] === 7 && content[3] === 8));
}

const zipDocumentKinds: readonly { marker: string; contentType: string; format: DocumentFormat }[] = [
  { marker: 'word/document.xml', contentType: 'wordprocessingml.document.main', format: 'docx' },
  { marker: 'word/document.xml', contentType: 'wordprocessingml.template.main', format: 'docx' },
  { marker: 'word/document.xml', contentType: 'ms-word.document.macroenabled.main', format: 'docx' },
  { marker: 'ppt/presentation.xml', contentType: 'presentationml.presentation.main', format: 'pptx' },
  { marker: 'ppt/presentation.xml', contentType: 'presentationml.slideshow.main', format: 'pptx' },
  { marker: 'ppt/presentation.xml', contentType: 'ms-powerpoint.presentation.macroenabled.main', format: 'pptx' },
  { marker: 'xl/workbook.xml', contentType: 'spreadsheetml.sheet.main', format: 'xlsx' },
  { marker: 'xl/workbook.xml', contentType: 'spreadsheetml.template.main', format: 'xlsx' },
  { marker: 'xl/workbook.xml', contentType: 'ms-excel.sheet.macroenabled.main', format: 'xlsx' },
];

const openDocumentKinds: Record<string, string> = {
  'application/vnd.oasis.opendocument.text': 'an OpenDocument text (.odt); save it as .docx to index it',
  'application/vnd.oasis.opendocument.spreadsheet': 'an OpenDocument spreadsheet (.ods); save it as .xlsx to index it',
  'application/vnd.oasis.opendocument.presentation': 'an OpenDocument presentation (.odp); save it as .pptx to index it',
  'application/epub+zip': 'an EPUB e-book, which is not a supported document format',
};

function detectZipFormat(content: Uint8Array, name: string, extension: string): DocumentFormat {
  const entries = readZipEntries(content);
  const names = new Set(entries.map((entry) => entry.name.replace(/^\/+/, '').toLowerCase()));
  if (!hasCentralDirectory(content) && (officeExtensions[extension] !== undefined || names.has('[content_types].xml'))) {
    throw new DocentError('file_corrupt', `${name} is truncated: its ZIP container ends before the table of contents (an incomplete download or copy).`);
  }
  for (const kind of zipDocumentKinds) {
    if (names.has(kind.marker)) return kind.format;
  }
  // Main parts may live elsewhere; the content types list names them whatever their path.
  const contentTypesEntry = findEntry(entries, '[Content_Types].xml');
  const contentTypes = contentTypesEntry === undefined ? undefined : readZipEntryText(content, contentTypesEntry)?.toLowerCase();
  if (contentTypes !== undefined) {
    for (const kind of zipDocumentKinds) {
      if (contentTypes.includes(kind.contentType)) return kind.format;
    }
    if (names.has('xl/workbook.bin')) {
      throw new DocentError('format_unsupported', `${name} is an Excel binary workbook (.xlsb); save it as .xlsx to index it.`);
    }
  }
  const mimetypeEntry = findEntry(entries, 'mimetype');
  const mimetype = mimetypeEntry === undefined ? undefined : readZipEntryText(content, mimetypeEntry, 200)?.trim();
  const openDocument = mimetype === undefined ? undefined : openDocumentKinds[mimetype];
  if (openDocument !== undefined) throw new DocentError('format_unsupported', `${name} is ${openDocument}.`);
  if (entries.length === 0) throw new DocentError('file_corrupt', `${name} starts like a ZIP file but its entries cannot be read; it is damaged.`);
  const office = officeExtensions[extension];
  if (office !== undefined && extension !== 'pdf') {
    throw new DocentError('file_corrupt', `${name} is a ZIP file without the parts of a ${office} file; it is damaged or not really a .${extension}.`);
  }
  throw new DocentError('format_unsupported', `${name} is a ZIP archive; archives are not unpacked, upload the documents inside it instead.`);
}

function findEntry(entries: readonly ZipEntry[], name: string): ZipEntry | undefined {
  return entries.find((entry) => entry.name.replace(/^\/+/, '').toLowerCase() === name.toLowerCase());
}

function compoundFileError(content: Uint8Array, name: string): DocentError {
  const entryNames = readCompoundFileEntryNames(content);
  if (entryNames === undefined) {
    return new DocentError('file_corrupt', `${name} is an OLE compound file (legacy Office format) whose directory cannot be read; it is damaged.`);
  }
  const kind = classifyCompoundFile(entryNames);
  if (kind.kind === 'encrypted-office') {
    return new DocentError('file_encrypted', `${name} is a password-protected Office document; remove the password (or upload an unprotected copy) to index it.`);
  }
  if (kind.kind === 'legacy') return new DocentError('format_unsupported', `${name} is ${kind.description}.`);
  return new DocentError('format_unsupported', `${name} is an OLE compound file of an unrecognised kind, which is not a supported document format.`);
}

/**
 * Text files never contain NUL bytes (UTF-16, which does, is decoded by then) and hardly
 * any control characters; binary data decoded as text is full of both.
 */
export function looksBinary(content: Uint8Array, decoded: DecodedText): boolean {
  if (!decoded.encoding.startsWith('utf-16') && content.subarray(0, 8192).includes(0)) return true;
  const sample = decoded.text.slice(0, 8192);
  if (sample.length === 0) return false;
  let suspicious = 0;
  for (let index = 0; index < sample.length; index += 1) {
    const code = sample.charCodeAt(index);
    // Tab, line feed, form feed, carriage return, vertical tab and escape (ANSI colours in logs) are text.
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0b && code !== 0x0c && code !== 0x0d && code !== 0x1b) || code === 0x7f || code === 0xfffd) {
      suspicious += 1;
    }
  }
  return suspicious / sample.length > 0.05;
}

function withoutLeadingComments(lowerStart: string): string {
  return lowerStart.replace(/^(?:<!--[\s\S]*?-->\s*)+/, '');
}

function looksLikeHtmlDocument(lowerStart: string): boolean {
  const start = withoutLeadingComments(lowerStart);
  return /^<!doctype\s+html/.test(start) || /^<html[\s>]/.test(start) || /^<\?xml[^>]*>\s*(?:<!doctype\s+html|<html[\s>])/.test(start);
}

/** Fragments saved from a browser or a CMS: structural tags at the very start, and closed. */
function looksLikeHtmlFragment(lowerStart: string): boolean {
  const start = withoutLeadingComments(lowerStart);
  return /^<(?:head|body|meta\s|title>|div[\s>]|p>|table[\s>]|h[1-6][\s>])/.test(start) && /<\/(?:p|div|table|h[1-6]|body|title)>/.test(lowerStart);
}

const commonHeaderNames = new Set(['from', 'to', 'cc', 'subject', 'date', 'message-id', 'mime-version', 'received', 'return-path', 'reply-to', 'sender', 'delivered-to', 'content-type', 'x-mailer', 'user-agent', 'in-reply-to', 'references']);

/**
 * RFC 822 headers: the text opens with a block of `Name: value` lines (with folded
 * continuation lines) that ends at a blank line and holds a sender and at least one more
 * mail header. Memos that merely start with "Subject:" do not qualify.
 */
function looksLikeEmail(start: string): boolean {
  const headerBlock = start.split(/\r?\n\r?\n/, 1)[0] ?? '';
  if (headerBlock === start && start.length >= 4096) return false;
  const lines = headerBlock.split(/\r?\n/);
  const names = new Set<string>();
  for (const [index, line] of lines.entries()) {
    if (index === 0 && line.startsWith('From ')) continue; // mbox separator line
    if (/^[ \t]/.test(line) && index > 0) continue; // folded continuation
    const match = /^([!-9;-~]+):/.exec(line);
    if (match === null) return false;
    names.add((match[1] ?? '').toLowerCase());
  }
  const mailHeaders = [...names].filter((header) => commonHeaderNames.has(header));
  return (names.has('from') || names.has('received') || names.has('return-path')) && mailHeaders.length >= 2;
}

/**
 * Which answers of a web server are documents Docent indexes, and the file name each is
 * handed to the parsers under (its extension is the format hint; the parsers still sniff
 * the bytes).
 */
export type DocumentKind = 'html' | 'pdf' | 'docx' | 'xlsx' | 'pptx';

const kindsByMediaType: Record<string, DocumentKind> = {
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'application/pdf': 'pdf',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
};

const kindsByExtension: Record<string, DocumentKind> = {
  html: 'html',
  htm: 'html',
  pdf: 'pdf',
  docx: 'docx',
  xlsx: 'xlsx',
  pptx: 'pptx',
};

// Servers send Office files and PDFs as these when nobody configured the type; the URL's
// extension then says what the file is.
const genericMediaTypes = new Set(['application/octet-stream', 'binary/octet-stream', 'application/download', 'application/x-download', '']);

/**
 * Links that plainly lead to something other than a document (images, styles, scripts,
 * media, archives) are not requested at all: the answer would only be thrown away.
 */
const nonDocumentExtensions = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'webp', 'svg', 'ico', 'bmp', 'tif', 'tiff', 'avif',
  'css', 'js', 'mjs', 'map', 'json', 'xml', 'rss', 'atom', 'woff', 'woff2', 'ttf', 'otf', 'eot',
  'mp3', 'mp4', 'm4a', 'wav', 'ogg', 'webm', 'mov', 'avi', 'mkv', 'flac',
  'zip', 'gz', 'tgz', 'bz2', 'xz', '7z', 'rar', 'tar', 'exe', 'msi', 'dmg', 'iso', 'bin', 'apk',
]);

/** The document kind of an answer, or undefined when it is not one to index. */
export function documentKindOf(mediaType: string, url: string): DocumentKind | undefined {
  const byType = kindsByMediaType[mediaType];
  if (byType !== undefined) return byType;
  return genericMediaTypes.has(mediaType) ? kindsByExtension[extensionOf(url)] : undefined;
}

/** Whether a link is worth requesting, judged by its URL alone. */
export function mayBeDocument(url: string): boolean {
  return !nonDocumentExtensions.has(extensionOf(url));
}

/**
 * The file name a page is handed to the parsers under: the last path segment, with the
 * extension of its kind when it lacks it (`/handbook/leave` is `leave.html`, `/` is
 * `index.html`).
 */
export function documentName(url: string, kind: DocumentKind): string {
  const segments = new URL(url).pathname.split('/').filter((segment) => segment !== '');
  let base = segments.at(-1) ?? 'index';
  try {
    base = decodeURIComponent(base);
  } catch {
    // A malformed escape stays as written.
  }
  const extension = extensionOf(base);
  const matches = kind === 'html' ? extension === 'html' || extension === 'htm' : extension === kind;
  return matches ? base : `${base}.${kind}`;
}

function extensionOf(urlOrName: string): string {
  let path = urlOrName;
  try {
    path = new URL(urlOrName).pathname;
  } catch {
    // A bare name.
  }
  const last = path.split('/').at(-1) ?? '';
  const dot = last.lastIndexOf('.');
  return dot <= 0 ? '' : last.slice(dot + 1).toLowerCase();
}

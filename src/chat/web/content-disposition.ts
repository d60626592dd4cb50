import { basename } from 'node:path';

/**
 * A `Content-Disposition` header value that is safe for any file name: an ASCII fallback
 * (`filename=`) for old clients plus the exact UTF-8 name (`filename*=`, RFC 6266/8187),
 * so Korean names survive and no name can inject header syntax.
 */
export function contentDisposition(type: 'inline' | 'attachment', fileName: string): string {
  const name = basename(fileName.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '').trim() || 'document';
  const asciiFallback = name.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%;]/g, '_');
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${type}; filename="${asciiFallback}"; filename*=UTF-8''${encoded}`;
}

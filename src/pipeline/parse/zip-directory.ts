import { inflateRawSync } from 'node:zlib';

/**
 * A synchronous look into a ZIP file's table of contents. Format detection must stay
 * synchronous and cheap (it runs on every file, most of which are not ZIPs), so this
 * reads the central directory directly instead of loading the archive with JSZip.
 */
export interface ZipEntry {
  name: string;
  /** Offset of the entry's local header, to read its data. */
  localHeaderOffset: number;
  compressionMethod: number;
  compressedSize: number;
}

const endOfCentralDirectorySignature = 0x06054b50;
const centralDirectoryEntrySignature = 0x02014b50;
const localHeaderSignature = 0x04034b50;

/**
 * Lists a ZIP file's entries from its central directory, or, when that is missing (a
 * truncated download), from the local headers found from the start of the file.
 * Returns an empty list when neither yields anything.
 */
export function readZipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return readCentralDirectory(bytes, view) ?? scanLocalHeaders(bytes, view);
}

/** Whether the central directory (written last) is present: a truncated ZIP lacks it. */
export function hasCentralDirectory(bytes: Uint8Array): boolean {
  return findEndOfCentralDirectory(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)) !== undefined;
}

/**
 * Reads one small entry's content (a `mimetype` or `[Content_Types].xml`), or undefined
 * when it is absent, damaged or bigger than `maximumBytes` once inflated.
 */
export function readZipEntryText(bytes: Uint8Array, entry: ZipEntry, maximumBytes = 1024 * 1024): string | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offset = entry.localHeaderOffset;
  if (offset + 30 > bytes.length || view.getUint32(offset, true) !== localHeaderSignature) return undefined;
  const dataStart = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
  const data = bytes.subarray(dataStart, Math.min(bytes.length, dataStart + entry.compressedSize));
  try {
    if (entry.compressionMethod === 0) return Buffer.from(data.subarray(0, maximumBytes)).toString('utf8');
    if (entry.compressionMethod === 8) return inflateRawSync(data, { maxOutputLength: maximumBytes }).toString('utf8');
  } catch {
    return undefined;
  }
  return undefined;
}

function findEndOfCentralDirectory(view: DataView): number | undefined {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let offset = view.byteLength - 22; offset >= lowest; offset -= 1) {
    if (view.getUint32(offset, true) === endOfCentralDirectorySignature) return offset;
  }
  return undefined;
}

function readCentralDirectory(bytes: Uint8Array, view: DataView): ZipEntry[] | undefined {
  const end = findEndOfCentralDirectory(view);
  if (end === undefined) return undefined;
  let offset = view.getUint32(end + 16, true);
  // ZIP64 archives store 0xFFFFFFFF here; their directory still follows the same layout,
  // and it sits right before the ZIP64 records, so scanning is the simpler fallback.
  if (offset === 0xffffffff || offset >= bytes.length) return undefined;
  const entries: ZipEntry[] = [];
  // The entry count in the end record is 16 bits and wraps in huge archives; following
  // entry signatures until they stop is exact either way.
  while (offset + 46 <= bytes.length) {
    if (view.getUint32(offset, true) !== centralDirectoryEntrySignature) break;
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    entries.push({
      name: decodeName(bytes.subarray(offset + 46, offset + 46 + nameLength)),
      compressionMethod: view.getUint16(offset + 10, true),
      compressedSize: view.getUint32(offset + 20, true),
      localHeaderOffset: view.getUint32(offset + 42, true),
    });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries.length > 0 ? entries : undefined;
}

function scanLocalHeaders(bytes: Uint8Array, view: DataView): ZipEntry[] {
  const entries: ZipEntry[] = [];
  let offset = 0;
  while (offset + 30 <= bytes.length) {
    if (view.getUint32(offset, true) !== localHeaderSignature) {
      offset = bytes.indexOf(0x50, offset + 1);
      if (offset < 0) break;
      continue;
    }
    const nameLength = view.getUint16(offset + 26, true);
    const extraLength = view.getUint16(offset + 28, true);
    const compressedSize = view.getUint32(offset + 18, true);
    entries.push({
      name: decodeName(bytes.subarray(offset + 30, offset + 30 + nameLength)),
      compressionMethod: view.getUint16(offset + 8, true),
      compressedSize,
      localHeaderOffset: offset,
    });
    // Entries written with a trailing data descriptor record size 0 here; the search for
    // the next signature then walks through the data.
    offset += 30 + nameLength + extraLength + compressedSize;
  }
  return entries;
}

function decodeName(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('utf8');
}

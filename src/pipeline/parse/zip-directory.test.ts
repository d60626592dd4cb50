import { describe, expect, it } from 'vitest';
import { makeZip } from '../../../test/fixtures/documents.js';
import { hasCentralDirectory, readZipEntries, readZipEntryText } from './zip-directory.js';

describe('zip-directory', () => {
  it('lists entries from the central directory and reads a compressed entry', async () => {
    const zip = await makeZip({ '[Content_Types].xml': '<Types>'.padEnd(400, ' '), 'word/document.xml': '<w:document/>' });
    const entries = readZipEntries(zip);
    expect(entries.map((entry) => entry.name)).toEqual(['[Content_Types].xml', 'word/', 'word/document.xml']);
    expect(hasCentralDirectory(zip)).toBe(true);
    expect(readZipEntryText(zip, entries[2]!)).toBe('<w:document/>');
  });

  it('falls back to local headers when the file is truncated', async () => {
    const zip = await makeZip({ 'a.txt': 'first', 'b.txt': 'second' });
    const truncated = zip.subarray(0, zip.length - 40);
    expect(hasCentralDirectory(truncated)).toBe(false);
    expect(readZipEntries(truncated).map((entry) => entry.name)).toEqual(['a.txt', 'b.txt']);
    expect(readZipEntries(truncated)[0]?.compressedSize).toBeGreaterThan(0);
  });

  it('returns nothing for bytes that are not a ZIP', () => {
    expect(readZipEntries(new Uint8Array(Buffer.from('PK but not really a zip file at all')))).toEqual([]);
  });
});

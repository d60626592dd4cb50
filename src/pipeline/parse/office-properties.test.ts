import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { makeZip } from '../../../test/fixtures/documents.js';
import { readCoreProperties } from './office-properties.js';

describe('readCoreProperties', () => {
  it('reads title, author and dates from docProps/core.xml', async () => {
    const zip = await JSZip.loadAsync(
      await makeZip({
        'docProps/core.xml':
          '<cp:coreProperties xmlns:cp="cp" xmlns:dc="dc" xmlns:dcterms="dcterms"><dc:title> Travel  policy </dc:title><dc:creator>Kim</dc:creator><dcterms:created>2024-01-02T03:04:05Z</dcterms:created><dc:subject></dc:subject></cp:coreProperties>',
      }),
    );
    expect(await readCoreProperties(zip)).toEqual({ title: 'Travel policy', author: 'Kim', created: '2024-01-02T03:04:05Z' });
  });

  it('returns nothing when the part is missing or malformed', async () => {
    expect(await readCoreProperties(await JSZip.loadAsync(await makeZip({ 'a.txt': 'x' })))).toEqual({});
    expect(await readCoreProperties(await JSZip.loadAsync(await makeZip({ 'docProps/core.xml': '<<<not xml' })))).toEqual({});
  });
});

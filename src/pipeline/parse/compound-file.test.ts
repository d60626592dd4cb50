import { describe, expect, it } from 'vitest';
import { makeCompoundFile, makeEncryptedOfficeFile } from '../../../test/fixtures/documents.js';
import { classifyCompoundFile, isCompoundFile, readCompoundFileEntryNames } from './compound-file.js';

describe('compound-file', () => {
  it('reads stream names from the directory', () => {
    const file = makeCompoundFile({ WordDocument: new Uint8Array(10), '1Table': new Uint8Array(10) });
    expect(isCompoundFile(file)).toBe(true);
    expect(readCompoundFileEntryNames(file)).toEqual(['Root Entry', '1Table', 'WordDocument']);
  });

  it('classifies encrypted Office files and legacy formats', () => {
    expect(classifyCompoundFile(readCompoundFileEntryNames(makeEncryptedOfficeFile()) ?? [])).toEqual({ kind: 'encrypted-office' });
    expect(classifyCompoundFile(['Root Entry', 'Workbook'])).toMatchObject({ kind: 'legacy', description: expect.stringContaining('.xls') });
    expect(classifyCompoundFile(['Root Entry', 'PowerPoint Document'])).toMatchObject({ kind: 'legacy', description: expect.stringContaining('.ppt') });
    expect(classifyCompoundFile(['Root Entry', '__substg1.0_0037001F'])).toMatchObject({ kind: 'legacy', description: expect.stringContaining('.msg') });
    expect(classifyCompoundFile(['Root Entry', 'Something'])).toEqual({ kind: 'unknown' });
  });

  it('returns undefined for a damaged directory instead of throwing', () => {
    const file = makeCompoundFile({ WordDocument: new Uint8Array(10) });
    expect(readCompoundFileEntryNames(file.subarray(0, 600))).toBeUndefined();
    const looping = new Uint8Array(file);
    new DataView(looping.buffer).setUint32(0x30, 0, true); // directory chain points at the FAT sector
    expect(() => readCompoundFileEntryNames(looping)).not.toThrow();
  });
});

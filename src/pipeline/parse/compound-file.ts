/**
 * Reads the directory of a Compound File Binary (OLE2) container: the format of legacy
 * Office files (.doc, .xls, .ppt), Outlook messages (.msg) and, importantly, of modern
 * Office files once they are password-protected (the encrypted .docx/.xlsx/.pptx is a
 * stream called EncryptedPackage inside such a container). The stream names are all
 * that is needed to tell these apart, so only the directory is read.
 */

export const compoundFileSignature = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] as const;

const endOfChain = 0xfffffffe;
const freeSector = 0xffffffff;
const highestRegularSector = 0xfffffffa;
// Bounds that no genuine file reaches; they stop loops in crafted or damaged files.
const maximumSectorsFollowed = 1_000_000;

export function isCompoundFile(bytes: Uint8Array): boolean {
  return compoundFileSignature.every((byte, index) => bytes[index] === byte);
}

/**
 * Names of the storages and streams in a compound file, or undefined when the directory
 * cannot be read (a truncated or damaged file).
 */
export function readCompoundFileEntryNames(bytes: Uint8Array): string[] | undefined {
  if (!isCompoundFile(bytes) || bytes.length < 512) return undefined;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const sectorShift = view.getUint16(0x1e, true);
  if (sectorShift !== 9 && sectorShift !== 12) return undefined;
  const sectorSize = 1 << sectorShift;
  const sectorOffset = (sector: number): number => (sector + 1) * sectorSize;
  const readable = (sector: number): boolean => sector <= highestRegularSector && sectorOffset(sector) + sectorSize <= bytes.length;

  const fatSectors = readFatSectorList(view, sectorSize, sectorOffset, readable);
  const nextSector = (sector: number): number => {
    const entriesPerSector = sectorSize / 4;
    const fatSector = fatSectors[Math.floor(sector / entriesPerSector)];
    if (fatSector === undefined || !readable(fatSector)) return endOfChain;
    return view.getUint32(sectorOffset(fatSector) + (sector % entriesPerSector) * 4, true);
  };

  const names: string[] = [];
  const visited = new Set<number>();
  let sector = view.getUint32(0x30, true);
  while (sector !== endOfChain && sector !== freeSector && readable(sector) && !visited.has(sector) && visited.size < maximumSectorsFollowed) {
    visited.add(sector);
    for (let entry = 0; entry < sectorSize / 128; entry += 1) {
      const offset = sectorOffset(sector) + entry * 128;
      const type = view.getUint8(offset + 0x42);
      if (type !== 1 && type !== 2 && type !== 5) continue;
      const nameLength = Math.min(64, view.getUint16(offset + 0x40, true));
      const name = Buffer.from(bytes.subarray(offset, offset + Math.max(0, nameLength - 2))).toString('utf16le');
      if (name !== '') names.push(name);
    }
    sector = nextSector(sector);
  }
  return names.length > 0 ? names : undefined;
}

function readFatSectorList(
  view: DataView,
  sectorSize: number,
  sectorOffset: (sector: number) => number,
  readable: (sector: number) => boolean,
): number[] {
  const fatSectorCount = view.getUint32(0x2c, true);
  const fatSectors: number[] = [];
  // The header holds the first 109 FAT sector numbers; further ones sit in a chain of
  // DIFAT sectors, each ending with the number of the next.
  for (let index = 0; index < 109 && fatSectors.length < fatSectorCount; index += 1) {
    fatSectors.push(view.getUint32(0x4c + index * 4, true));
  }
  const visited = new Set<number>();
  let difatSector = view.getUint32(0x44, true);
  while (fatSectors.length < fatSectorCount && readable(difatSector) && !visited.has(difatSector) && visited.size < maximumSectorsFollowed) {
    visited.add(difatSector);
    const entries = sectorSize / 4 - 1;
    for (let index = 0; index < entries && fatSectors.length < fatSectorCount; index += 1) {
      fatSectors.push(view.getUint32(sectorOffset(difatSector) + index * 4, true));
    }
    difatSector = view.getUint32(sectorOffset(difatSector) + entries * 4, true);
  }
  return fatSectors;
}

/** What a compound file holds, judged by its stream names. */
export type CompoundFileKind =
  | { kind: 'encrypted-office' }
  | { kind: 'legacy'; description: string }
  | { kind: 'unknown' };

export function classifyCompoundFile(names: readonly string[]): CompoundFileKind {
  const has = (name: string): boolean => names.some((candidate) => candidate.toLowerCase() === name.toLowerCase());
  if (has('EncryptedPackage') || has('EncryptionInfo')) return { kind: 'encrypted-office' };
  if (has('WordDocument')) return { kind: 'legacy', description: 'a Word 97-2003 document (.doc); save it as .docx to index it' };
  if (has('Workbook') || has('Book')) return { kind: 'legacy', description: 'an Excel 97-2003 workbook (.xls); save it as .xlsx to index it' };
  if (has('PowerPoint Document')) return { kind: 'legacy', description: 'a PowerPoint 97-2003 presentation (.ppt); save it as .pptx to index it' };
  if (names.some((name) => name.startsWith('__substg1.0_')) || has('__properties_version1.0')) {
    return { kind: 'legacy', description: 'an Outlook message (.msg); export it as .eml to index it' };
  }
  if (has('VisioDocument')) return { kind: 'legacy', description: 'a Visio 2003-2010 drawing (.vsd)' };
  return { kind: 'unknown' };
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

export interface FileChecksum {
  sha256: string;
  bytes: number;
}

/** SHA-256 of a file read as a stream: model files are gigabytes and must never sit in memory whole. */
export async function checksumOfFile(file: string): Promise<FileChecksum> {
  const hash = createHash('sha256');
  let bytes = 0;
  await pipeline(createReadStream(file), async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      hash.update(chunk);
      bytes += chunk.length;
    }
  });
  return { sha256: hash.digest('hex'), bytes };
}

export interface FolderFileChecksum extends FileChecksum {
  /** Relative to the folder, with forward slashes so that the list is the same on every system. */
  path: string;
}

/** Every regular file under `folder`, sorted by path so that the result does not depend on directory order. */
export async function checksumsOfFolder(folder: string): Promise<FolderFileChecksum[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const absolute = path.join(entry.parentPath, entry.name);
    // Symbolic links are followed, as tar does when bundling, so the checksums describe what is shipped.
    if (entry.isFile() || (entry.isSymbolicLink() && (await stat(absolute)).isFile())) files.push(absolute);
  }
  const relative = files.map((file) => path.relative(folder, file).split(path.sep).join('/')).sort();
  const checksums: FolderFileChecksum[] = [];
  for (const file of relative) checksums.push({ path: file, ...(await checksumOfFile(path.join(folder, file))) });
  return checksums;
}

/** One checksum for a folder: the SHA-256 of its `sha256  path` lines, the format `sha256sum` prints. */
export function combinedChecksum(files: FolderFileChecksum[]): string {
  return createHash('sha256')
    .update(files.map((file) => `${file.sha256}  ${file.path}\n`).join(''))
    .digest('hex');
}

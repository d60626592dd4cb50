import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IndexReport } from './index-documents.js';

/** What Docent remembers about each source between runs: where it is and how its last run went. */
export interface SourceRecord {
  sourceId: string;
  kind: 'folder';
  /** Folder path for folder sources. */
  location: string;
  lastRun?: IndexReport;
}

/**
 * A small JSON file in the data directory. Written to a temporary file and renamed, so a
 * crash leaves either the old or the new state, never a torn file.
 */
export class SourceState {
  private readonly file: string;

  constructor(dataDirectory: string) {
    this.file = path.join(dataDirectory, 'state', 'sources.json');
  }

  async list(): Promise<SourceRecord[]> {
    try {
      return (JSON.parse(await readFile(this.file, 'utf8')) as { sources: SourceRecord[] }).sources;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  async save(record: SourceRecord): Promise<void> {
    const sources = (await this.list()).filter((existing) => existing.sourceId !== record.sourceId);
    sources.push(record);
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ sources }, null, 2)}\n`);
    await rename(temporary, this.file);
  }

  async remove(sourceId: string): Promise<void> {
    const sources = (await this.list()).filter((existing) => existing.sourceId !== sourceId);
    await mkdir(path.dirname(this.file), { recursive: true });
    const temporary = `${this.file}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ sources }, null, 2)}\n`);
    await rename(temporary, this.file);
  }
}

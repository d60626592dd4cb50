import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomically } from '../core/write-file-atomically.js';
import type { IndexReport } from './index-documents.js';

/** What Docent remembers about each source between runs: where it is and how its last run went. */
export interface SourceRecord {
  sourceId: string;
  kind: 'folder';
  /** Folder path for folder sources. */
  location: string;
  lastRun?: IndexReport;
}

/** A small JSON file in the data directory, written atomically. */
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
    await this.write([...(await this.list()).filter((existing) => existing.sourceId !== record.sourceId), record]);
  }

  async remove(sourceId: string): Promise<void> {
    await this.write((await this.list()).filter((existing) => existing.sourceId !== sourceId));
  }

  private async write(sources: SourceRecord[]): Promise<void> {
    await writeFileAtomically(this.file, `${JSON.stringify({ sources }, null, 2)}\n`);
  }
}

import { readFile, stat } from 'node:fs/promises';
import { z } from 'zod';
import { DocentError, describeError } from './errors.js';
import { writeFileAtomically } from './write-file-atomically.js';

export interface JsonStateFileOptions {
  /** What the file holds, for errors: "the admin tokens". */
  contents: string;
  /** What a person should do when it cannot be read. */
  remedy: string;
  /** Permissions the file is created with (0o600 for secrets' hashes). */
  mode?: number;
}

/**
 * A small JSON settings file in the data directory, changed by commands and read by
 * serving processes: written atomically, re-read only when it changed on disk (so a
 * change takes effect without a restart), and validated on every read.
 */
export class JsonStateFile<Content> {
  private cached: { version: string; content: Content } | undefined;
  private writing: Promise<unknown> = Promise.resolve();

  constructor(
    readonly file: string,
    private readonly schema: z.ZodType<Content>,
    private readonly options: JsonStateFileOptions,
  ) {}

  /** The file's content, or undefined when there is no file yet. */
  async read(): Promise<Content | undefined> {
    let version: string;
    try {
      const info = await stat(this.file);
      version = `${info.mtimeMs}:${info.size}:${info.ino}`;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw this.unreadable(error);
    }
    if (this.cached?.version === version) return this.cached.content;
    let content: Content;
    try {
      content = this.schema.parse(JSON.parse(await readFile(this.file, 'utf8')));
    } catch (error) {
      throw this.unreadable(error);
    }
    this.cached = { version, content };
    return content;
  }

  /** Read, change and write one at a time within this process, so two changes never overwrite each other. */
  async update(change: (current: Content | undefined) => Content): Promise<void> {
    const run = this.writing.then(async () => {
      const content = change(await this.read());
      await writeFileAtomically(this.file, `${JSON.stringify(content, null, 2)}\n`, this.options.mode === undefined ? {} : { mode: this.options.mode });
      this.cached = undefined;
    });
    this.writing = run.catch(() => undefined);
    await run;
  }

  private unreadable(error: unknown): DocentError {
    const reason = error instanceof z.ZodError ? error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') : describeError(error);
    return new DocentError('config_invalid', `${this.options.contents} in ${this.file} cannot be read (${reason}); ${this.options.remedy}`, { cause: error });
  }
}

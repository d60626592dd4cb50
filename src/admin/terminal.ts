import cliProgress from 'cli-progress';

/** A progress bar on standard error while it is a terminal; silent in scripts and CI logs. */
export function progressBar(label: string): { update(done: number, total: number, detail?: string): void; stop(): void } {
  if (!process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {detail}`, stream: process.stderr, hideCursor: true, clearOnComplete: true, barsize: 28 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total, detail = '') {
      if (!started) {
        bar.start(total, done, { detail });
        started = true;
      }
      bar.setTotal(total);
      bar.update(done, { detail });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** Renders rows as an aligned plain-text table (numbers right-aligned). */
export function formatTable(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((row) => row.map((cell) => String(cell)))];
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => [...(row[column] ?? '')].length)));
  const isNumber = (cell: string | number | undefined): boolean => typeof cell === 'number' || /^[\d.,%+-]+$/.test(String(cell));
  // A column is numeric when every filled cell is a number; blank cells do not decide.
  const numeric = headers.map((_, column) => {
    const filled = rows.map((row) => row[column]).filter((cell) => cell !== '' && cell !== undefined);
    return filled.length > 0 && filled.every(isNumber);
  });
  const line = (row: string[]): string =>
    row.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd();
  return [line(cells[0]!), widths.map((width) => '-'.repeat(width)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Runs `work` on the items of `inputs` with at most `concurrency` at once, yielding each
 * result as it completes (not in input order). Inputs are pulled only as slots free up,
 * so a long paged listing is never read far ahead of the work. A rejected `work` ends the
 * walk with that error once it is reached; work still running is left to settle on its own.
 */
export async function* mapConcurrently<T, R>(inputs: AsyncIterable<T> | Iterable<T>, concurrency: number, work: (item: T) => Promise<R>): AsyncGenerator<R> {
  const iterator = Symbol.asyncIterator in inputs ? inputs[Symbol.asyncIterator]() : toAsync(inputs as Iterable<T>);
  const running = new Map<number, Promise<{ key: number; result: R }>>();
  let nextKey = 0;
  let exhausted = false;
  try {
    while (true) {
      while (!exhausted && running.size < concurrency) {
        const next = await iterator.next();
        if (next.done === true) {
          exhausted = true;
          break;
        }
        const key = nextKey++;
        const task = work(next.value).then((result) => ({ key, result }));
        task.catch(() => undefined); // observed when raced; never an unhandled rejection
        running.set(key, task);
      }
      if (running.size === 0) return;
      const { key, result } = await Promise.race(running.values());
      running.delete(key);
      yield result;
    }
  } finally {
    if (!exhausted) await iterator.return?.();
  }
}

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

/**
 * Runs `task` over `inputs` with at most `concurrency` at once and yields each result as
 * it completes. Inputs are pulled only when a slot frees up, so an input iterator can
 * decide late (a page budget) whether there is more. A failing task fails the whole map,
 * after the others have settled, so that nothing keeps running unobserved.
 */
export async function* mapConcurrently<Input, Result>(
  inputs: Iterator<Input>,
  concurrency: number,
  task: (input: Input) => Promise<Result>,
): AsyncGenerator<Result, void, undefined> {
  type Settled = { key: number; value: Result; failed: false } | { key: number; error: unknown; failed: true };
  const running = new Map<number, Promise<Settled>>();
  let nextKey = 0;
  let exhausted = false;
  const fill = (): void => {
    while (!exhausted && running.size < concurrency) {
      const next = inputs.next();
      if (next.done === true) {
        exhausted = true;
        return;
      }
      const key = nextKey;
      nextKey += 1;
      running.set(
        key,
        task(next.value).then(
          (value): Settled => ({ key, value, failed: false }),
          (error: unknown): Settled => ({ key, error, failed: true }),
        ),
      );
    }
  };
  fill();
  while (running.size > 0) {
    const settled = await Promise.race(running.values());
    running.delete(settled.key);
    if (settled.failed) {
      await Promise.all(running.values());
      throw settled.error;
    }
    fill();
    yield settled.value;
  }
}

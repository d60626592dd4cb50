import { describe, expect, it } from 'vitest';
import { ModelBusyError } from '../core/errors.js';
import { GenerationQueue } from './generation-queue.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('GenerationQueue', () => {
  it('runs at most `parallel` tasks at once and starts waiting ones in order', async () => {
    const queue = new GenerationQueue(1, 2);
    const order: string[] = [];
    const first = deferred();
    const a = queue.run(async () => {
      order.push('a');
      await first.promise;
    });
    const b = queue.run(async () => void order.push('b'));
    const c = queue.run(async () => void order.push('c'));
    await Promise.resolve();
    expect(order).toEqual(['a']);
    expect(queue.load).toEqual({ running: 1, waiting: 2 });
    first.resolve();
    await Promise.all([a, b, c]);
    expect(order).toEqual(['a', 'b', 'c']);
    expect(queue.load).toEqual({ running: 0, waiting: 0 });
  });

  it('refuses past the queue limit with an estimate of when to try again', async () => {
    const queue = new GenerationQueue(1, 1, 4_000);
    const blocker = deferred();
    const running = queue.run(() => blocker.promise);
    const waiting = queue.run(async () => 'done');
    const refused = queue.run(async () => 'never');
    await expect(refused).rejects.toBeInstanceOf(ModelBusyError);
    await expect(refused).rejects.toMatchObject({ code: 'model_busy', retryAfterSeconds: 8 });
    blocker.resolve();
    await running;
    expect(await waiting).toBe('done');
  });

  it('drops a waiting task whose signal aborts, without running it', async () => {
    const queue = new GenerationQueue(1, 4);
    const blocker = deferred();
    const running = queue.run(() => blocker.promise);
    const controller = new AbortController();
    let ran = false;
    const waiting = queue.run(async () => void (ran = true), controller.signal);
    controller.abort(new Error('asker left'));
    await expect(waiting).rejects.toThrow('asker left');
    expect(queue.load.waiting).toBe(0);
    blocker.resolve();
    await running;
    expect(ran).toBe(false);
  });

  it('frees the slot when a task fails', async () => {
    const queue = new GenerationQueue(1, 0);
    await expect(queue.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await queue.run(async () => 'next')).toBe('next');
  });
});

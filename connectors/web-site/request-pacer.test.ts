import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../test/support/virtual-clock.js';
import { RequestPacer } from './request-pacer.js';

describe('RequestPacer', () => {
  it('lets the first request go at once and spaces the next ones by the interval', async () => {
    const clock = new VirtualClock();
    const pacer = new RequestPacer(clock, 1000);
    const starts: number[] = [];
    for (let request = 0; request < 3; request += 1) {
      await pacer.wait(new AbortController().signal);
      starts.push(clock.now());
    }
    expect(clock.sleeps).toEqual([1000, 1000]);
    expect(starts.map((start) => start - starts[0]!)).toEqual([0, 1000, 2000]);
  });

  it('counts time already spent since the last start', async () => {
    const clock = new VirtualClock();
    const pacer = new RequestPacer(clock, 1000);
    await pacer.wait(new AbortController().signal);
    clock.time += 400;
    await pacer.wait(new AbortController().signal);
    clock.time += 5000;
    await pacer.wait(new AbortController().signal);
    expect(clock.sleeps).toEqual([600]);
  });

  it('keeps the spacing for callers waiting at once, in the order they asked', async () => {
    const clock = new VirtualClock();
    const pacer = new RequestPacer(clock, 250);
    const starts: [number, number][] = [];
    await Promise.all([0, 1, 2, 3].map(async (caller) => {
      await pacer.wait(new AbortController().signal);
      starts.push([caller, clock.now()]);
    }));
    const first = starts[0]![1];
    expect(starts.map(([caller, start]) => [caller, start - first])).toEqual([[0, 0], [1, 250], [2, 500], [3, 750]]);
  });

  it('only ever raises the interval, and a raise counts from the request already made', async () => {
    const clock = new VirtualClock();
    const pacer = new RequestPacer(clock, 1000);
    await pacer.wait(new AbortController().signal);
    pacer.atLeast(2500);
    pacer.atLeast(100);
    expect(pacer.interval).toBe(2500);
    await pacer.wait(new AbortController().signal);
    await pacer.wait(new AbortController().signal);
    expect(clock.sleeps).toEqual([2500, 2500]);
  });

  it('stops waiting when the signal aborts', async () => {
    const clock = new VirtualClock();
    const pacer = new RequestPacer(clock, 1000);
    const controller = new AbortController();
    await pacer.wait(controller.signal);
    const waiting = pacer.wait(controller.signal);
    controller.abort(new Error('stopped'));
    await expect(waiting).rejects.toThrow('stopped');
  });

  it('holds every request back while the site asked to wait, then spaces them as before', async () => {
    const clock = new VirtualClock();
    const pacer = new RequestPacer(clock, 1000);
    await pacer.wait(new AbortController().signal);
    pacer.pauseFor(30_000);
    await pacer.wait(new AbortController().signal);
    await pacer.wait(new AbortController().signal);
    expect(clock.sleeps).toEqual([30_000, 1000]);
    // A shorter pause than the interval changes nothing.
    pacer.pauseFor(10);
    await pacer.wait(new AbortController().signal);
    expect(clock.sleeps).toEqual([30_000, 1000, 1000]);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SlackMessageContent } from './answer-blocks.js';
import { StreamingReply, type EditableMessage } from './streaming-reply.js';

/** Records what was shown and when; each call takes `latencyMs` of (fake) time, as a request to Slack would. */
class RecordingMessage implements EditableMessage {
  readonly shown: Array<{ kind: 'post' | 'edit'; text: string; at: number }> = [];
  failPost = false;
  constructor(private readonly latencyMs = 0) {}
  private async wait(): Promise<void> {
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }
  async post(content: SlackMessageContent): Promise<void> {
    await this.wait();
    if (this.failPost) throw new Error('channel_not_found');
    this.shown.push({ kind: 'post', text: content.text, at: Date.now() });
  }
  async edit(content: SlackMessageContent): Promise<void> {
    await this.wait();
    this.shown.push({ kind: 'edit', text: content.text, at: Date.now() });
  }
}

const render = (text: string): SlackMessageContent => ({ text: `${text} …` });

describe('StreamingReply', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends the latest partial text at most once per interval, then the final version at once', async () => {
    const message = new RecordingMessage();
    const reply = new StreamingReply(message, render, { intervalMs: 1000 });
    await reply.start({ text: 'Searching…' });
    for (const [at, text] of [[100, 'a'], [300, 'ab'], [900, 'abc'], [1200, 'abcd'], [1300, 'abcde']] as const) {
      await vi.advanceTimersByTimeAsync(at - Date.now());
      reply.showPartial(text);
    }
    await vi.advanceTimersByTimeAsync(2100 - Date.now());
    await reply.finish({ text: 'final' });
    expect(message.shown).toEqual([
      { kind: 'post', text: 'Searching…', at: 0 },
      { kind: 'edit', text: 'abc …', at: 1000 },
      { kind: 'edit', text: 'abcde …', at: 2000 },
      { kind: 'edit', text: 'final', at: 2100 },
    ]);
  });

  it('sends the final version after an edit in flight, never before it', async () => {
    const message = new RecordingMessage(300);
    const reply = new StreamingReply(message, render, { intervalMs: 500 });
    const started = reply.start({ text: 'Searching…' });
    reply.showPartial('partial');
    await vi.advanceTimersByTimeAsync(900);
    await started;
    const finished = reply.finish({ text: 'final' });
    await vi.advanceTimersByTimeAsync(1000);
    await finished;
    expect(message.shown.map((shown) => [shown.text, shown.at])).toEqual([
      ['Searching…', 300],
      ['partial …', 1100],
      ['final', 1400],
    ]);
  });

  it('posts the final version as a new message when the placeholder was refused', async () => {
    const message = new RecordingMessage();
    message.failPost = true;
    const reply = new StreamingReply(message, render, { intervalMs: 1000 });
    expect(await reply.start({ text: 'Searching…' })).toBe(false);
    reply.showPartial('partial');
    await vi.advanceTimersByTimeAsync(2000);
    message.failPost = false;
    await reply.finish({ text: 'final' });
    expect(message.shown).toEqual([{ kind: 'post', text: 'final', at: 2000 }]);
  });

  it('stops editing after the most partial edits allowed', async () => {
    const message = new RecordingMessage();
    const reply = new StreamingReply(message, render, { intervalMs: 100, maxPartialEdits: 2 });
    await reply.start({ text: 'Searching…' });
    for (let step = 1; step <= 6; step++) {
      reply.showPartial(`step ${step}`);
      await vi.advanceTimersByTimeAsync(150);
    }
    await reply.finish({ text: 'final' });
    expect(message.shown.map((shown) => shown.text)).toEqual(['Searching…', 'step 1 …', 'step 2 …', 'final']);
  });
});

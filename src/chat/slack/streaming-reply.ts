import type { SlackMessageContent } from './answer-blocks.js';

/** A Slack message Docent can show and then change: a thread reply, or an ephemeral slash command response. */
export interface EditableMessage {
  /** Shows the first version; resolves once Slack accepted it. */
  post(content: SlackMessageContent): Promise<void>;
  /** Replaces what the message shows. */
  edit(content: SlackMessageContent): Promise<void>;
}

export interface StreamingReplyOptions {
  /** Least time between two edits while the answer streams (chat.update: about one a second per message). */
  intervalMs: number;
  /**
   * Most edits while streaming, beyond which only the final version is sent: a slash
   * command's response URL accepts five messages in all.
   */
  maxPartialEdits?: number;
  /** Current time in milliseconds; injectable for tests. */
  now?: () => number;
}

/**
 * One reply that appears at once as a placeholder, grows as the answer streams, and ends
 * as the final answer (or an apology). Partial edits are throttled and coalesced: only
 * the latest text is sent once the interval has passed, one request at a time, so the
 * platform's rate limit holds however fast the model writes. The final version is sent
 * right after any edit in flight, never throttled: the asker waits for it.
 */
export class StreamingReply {
  private readonly intervalMs: number;
  private readonly maxPartialEdits: number;
  private readonly now: () => number;
  private posted: Promise<boolean> | undefined;
  private lastSentAt = 0;
  private partialEdits = 0;
  private pendingText: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** The edit in flight, if any; every edit waits for the one before it so Slack sees them in order. */
  private chain: Promise<void> = Promise.resolve();
  private finished = false;

  constructor(
    private readonly message: EditableMessage,
    private readonly render: (textSoFar: string) => SlackMessageContent,
    options: StreamingReplyOptions,
  ) {
    this.intervalMs = options.intervalMs;
    this.maxPartialEdits = options.maxPartialEdits ?? Number.POSITIVE_INFINITY;
    this.now = options.now ?? Date.now;
  }

  /** Posts the placeholder; resolves to whether it was shown. Call once, before anything else. */
  start(placeholder: SlackMessageContent): Promise<boolean> {
    this.posted = this.message.post(placeholder).then(
      () => {
        this.lastSentAt = this.now();
        return true;
      },
      () => false,
    );
    this.chain = this.posted.then(() => undefined);
    return this.posted;
  }

  /** The answer so far; shown at the next allowed moment unless a newer text comes first. */
  showPartial(textSoFar: string): void {
    if (this.finished || this.partialEdits >= this.maxPartialEdits) return;
    this.pendingText = textSoFar;
    if (!this.timer) this.schedule();
  }

  /**
   * Shows the final version. When the placeholder could not be posted, posts it as a new
   * message instead; rejects only when Slack refused that too.
   */
  async finish(content: SlackMessageContent): Promise<void> {
    this.finished = true;
    this.pendingText = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
    const shown = await (this.posted ?? Promise.resolve(false));
    await this.chain;
    if (shown) await this.message.edit(content);
    else await this.message.post(content);
  }

  private schedule(): void {
    const wait = Math.max(0, this.lastSentAt + this.intervalMs - this.now());
    this.timer = setTimeout(() => {
      // Waits for the placeholder and any edit in flight; the interval counts from when they were accepted.
      this.chain = this.chain.then(async () => {
        const shown = await (this.posted ?? Promise.resolve(false));
        if (this.finished || this.pendingText === undefined || !shown) return;
        if (this.now() < this.lastSentAt + this.intervalMs) return;
        const text = this.pendingText;
        this.pendingText = undefined;
        this.partialEdits += 1;
        // A lost partial edit is harmless: the next one or the final version replaces it.
        await this.message.edit(this.render(text)).catch(() => undefined);
        this.lastSentAt = this.now();
      });
      void this.chain.then(() => {
        this.timer = undefined;
        if (!this.finished && this.pendingText !== undefined && this.partialEdits < this.maxPartialEdits) this.schedule();
      });
    }, wait);
    this.timer.unref?.();
  }
}

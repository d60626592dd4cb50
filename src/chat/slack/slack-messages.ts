import type { webApi } from '@slack/bolt';
import type { SlackMessageContent } from './answer-blocks.js';
import { postToResponseUrl, type ResponseUrlOptions } from './response-url.js';
import type { EditableMessage } from './streaming-reply.js';

/**
 * A message the bot posts in a channel, direct message or thread (`chat.postMessage`)
 * and then edits (`chat.update`). Retries and rate limits are the Web API client's job.
 */
export class PostedMessage implements EditableMessage {
  /** The message's timestamp (its id) once posted. */
  ts: string | undefined;

  constructor(
    private readonly client: webApi.WebClient,
    readonly channelId: string,
    /** The thread to reply in; undefined posts at the top level (a reply in a direct message). */
    readonly threadTs: string | undefined,
  ) {}

  async post(content: SlackMessageContent): Promise<void> {
    const result = await this.client.chat.postMessage({
      channel: this.channelId,
      ...(this.threadTs ? { thread_ts: this.threadTs } : {}),
      text: content.text,
      ...(content.blocks ? { blocks: content.blocks } : {}),
      // Source links would otherwise unfold into previews of internal pages.
      unfurl_links: false,
      unfurl_media: false,
    });
    this.ts = result.ts;
  }

  async edit(content: SlackMessageContent): Promise<void> {
    if (!this.ts) throw new Error('edit before the message was posted');
    await this.client.chat.update({ channel: this.channelId, ts: this.ts, text: content.text, ...(content.blocks ? { blocks: content.blocks } : {}) });
  }
}

/**
 * The private reply to a slash command: first the acknowledgement itself (Slack shows
 * its body to the user at once), then replacements through the command's `response_url`.
 * Ephemeral messages cannot be edited with `chat.update`, and the response URL also works
 * in channels the bot is not a member of.
 */
export class EphemeralResponse implements EditableMessage {
  private acknowledged = false;

  constructor(
    private readonly acknowledge: (body: Record<string, unknown>) => Promise<void>,
    private readonly responseUrl: string,
    private readonly options: ResponseUrlOptions = {},
  ) {}

  async post(content: SlackMessageContent): Promise<void> {
    const message = { response_type: 'ephemeral', ...content };
    if (this.acknowledged) return postToResponseUrl(this.responseUrl, message, this.options);
    this.acknowledged = true;
    await this.acknowledge(message);
  }

  edit(content: SlackMessageContent): Promise<void> {
    return postToResponseUrl(this.responseUrl, { response_type: 'ephemeral', replace_original: true, ...content }, this.options);
  }
}

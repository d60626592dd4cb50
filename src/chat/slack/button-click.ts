/** The parts of a `block_actions` payload for a button click that Docent uses. */
export interface ButtonClick {
  actionId: string;
  /** The button's `value`: an answer id, or the key of a shareable answer. */
  value: string;
  userId: string;
  teamId: string | undefined;
  channelId: string | undefined;
  /** Replies to the clicker, replaces or deletes the message the button was on. */
  responseUrl: string | undefined;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

function string(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** The click, or undefined for anything that is not a button click in a message. */
export function buttonClick(body: unknown, action: unknown): ButtonClick | undefined {
  const payload = record(body);
  const button = record(action);
  if (payload?.type !== 'block_actions' || button?.type !== 'button') return undefined;
  const actionId = string(button.action_id);
  const value = string(button.value);
  const userId = string(record(payload.user)?.id);
  if (!actionId || !value || !userId) return undefined;
  return {
    actionId,
    value,
    userId,
    teamId: string(record(payload.team)?.id) ?? string(record(payload.user)?.team_id),
    channelId: string(record(payload.channel)?.id) ?? string(record(payload.container)?.channel_id),
    responseUrl: string(payload.response_url),
  };
}

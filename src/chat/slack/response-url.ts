import { DocentError } from '../../core/errors.js';

export interface ResponseUrlOptions {
  /** Tries after the first; Slack answers a burst with 429 and a Retry-After header. */
  retries?: number;
  /** Wait before the first retry of a failure without Retry-After; doubles each time. */
  backoffMs?: number;
  /** Longest Retry-After honoured; a response URL expires after 30 minutes anyway. */
  maximumWaitMs?: number;
}

const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

/**
 * Posts a message to a `response_url` (slash command and button responses: ephemeral
 * replies, replacing or deleting the message a button was on). Bolt's `respond` does not
 * retry; this honours Retry-After on 429 and retries server and network errors, so a
 * busy moment at Slack does not leave the asker without an answer.
 */
export async function postToResponseUrl(url: string, message: Record<string, unknown>, options: ResponseUrlOptions = {}): Promise<void> {
  const retries = options.retries ?? 3;
  const backoffMs = options.backoffMs ?? 500;
  const maximumWaitMs = options.maximumWaitMs ?? 30_000;
  let lastProblem = '';
  for (let attempt = 0; attempt <= retries; attempt++) {
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(message), signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      lastProblem = error instanceof Error ? error.message : String(error);
      if (attempt < retries) await sleep(backoffMs * 2 ** attempt);
      continue;
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const body = await response.text().catch(() => '');
    lastProblem = `HTTP ${response.status}${body ? ` ${body.slice(0, 200)}` : ''}`;
    if (response.status === 429) {
      const retryAfterSeconds = Number(response.headers.get('retry-after'));
      if (attempt < retries) await sleep(Math.min(maximumWaitMs, Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : backoffMs * 2 ** attempt));
      continue;
    }
    if (response.status >= 500) {
      if (attempt < retries) await sleep(backoffMs * 2 ** attempt);
      continue;
    }
    // 404 (expired, or used five times) and other client errors will not change on a retry.
    throw new DocentError('invalid_request', `Slack refused the response: ${lastProblem}`, { retryable: false });
  }
  throw new DocentError('source_unreachable', `Slack did not accept the response after ${retries + 1} tries: ${lastProblem}`);
}

/**
 * Slack's side of the HTTP Events API, for tests of an app in HTTP mode: requests signed
 * as Slack signs them. The signature is `v0=` + hex HMAC-SHA256, keyed with the app's
 * signing secret, of `v0:{X-Slack-Request-Timestamp}:{raw body}`; it travels in
 * `X-Slack-Signature`. Events are JSON; slash commands are form fields; interactivity is
 * a form with one `payload` field holding JSON. A retry carries `X-Slack-Retry-Num` and
 * `X-Slack-Retry-Reason`.
 */
import { createHmac } from 'node:crypto';

export interface SignedRequestOptions {
  /** Seconds since the epoch; now by default. Older than five minutes is refused. */
  timestamp?: number;
  /** Sends this instead of the correct signature. */
  signature?: string;
  /** Marks the request as Slack's retry number N. */
  retryNum?: number;
  retryReason?: string;
}

export interface SlackAppResponse {
  status: number;
  body: string;
}

export function slackSignature(signingSecret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** The request Slack would send, signed, ready for fetch (benchmarks prepare it before starting their clock). */
export function signedRequest(signingSecret: string, body: string, contentType: string, options: SignedRequestOptions = {}): RequestInit & { headers: Record<string, string>; body: string } {
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = {
    'content-type': contentType,
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': options.signature ?? slackSignature(signingSecret, timestamp, body),
    'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
  };
  if (options.retryNum !== undefined) {
    headers['x-slack-retry-num'] = String(options.retryNum);
    headers['x-slack-retry-reason'] = options.retryReason ?? 'http_timeout';
  }
  return { method: 'POST', headers, body };
}

export async function postSigned(url: string, signingSecret: string, body: string, contentType: string, options: SignedRequestOptions = {}): Promise<SlackAppResponse> {
  const response = await fetch(url, signedRequest(signingSecret, body, contentType, options));
  return { status: response.status, body: await response.text() };
}

/** An Events API request (`event_callback`, `url_verification`). */
export function sendEvent(url: string, signingSecret: string, envelope: Record<string, unknown>, options: SignedRequestOptions = {}): Promise<SlackAppResponse> {
  return postSigned(url, signingSecret, JSON.stringify(envelope), 'application/json', options);
}

/** A slash command invocation: its fields form-encoded. */
export function sendSlashCommand(url: string, signingSecret: string, fields: Record<string, string>, options: SignedRequestOptions = {}): Promise<SlackAppResponse> {
  return postSigned(url, signingSecret, new URLSearchParams(fields).toString(), 'application/x-www-form-urlencoded', options);
}

/** An interactivity request (a button click): `payload=<json>`, form-encoded. */
export function sendInteraction(url: string, signingSecret: string, payload: Record<string, unknown>, options: SignedRequestOptions = {}): Promise<SlackAppResponse> {
  return postSigned(url, signingSecret, new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), 'application/x-www-form-urlencoded', options);
}

import { App, HTTPReceiver, SocketModeReceiver, type Logger, type webApi } from '@slack/bolt';
import type { SlackConfig } from '../../config/schema.js';
import type { SlackSecrets } from './slack-secrets.js';

/**
 * How Web API calls are retried: transient failures (network errors, HTTP 5xx) back off
 * from half a second, and a 429 first waits its Retry-After (the client pauses its whole
 * queue meanwhile). Bolt's default keeps trying for half an hour, far past the point
 * where an answer or an apology is of use to the person waiting.
 */
export const defaultWebApiRetries: webApi.RetryOptions = { retries: 5, factor: 2, minTimeout: 500, maxTimeout: 8000, randomize: true };

/** A Web API call that has not answered in this long is abandoned (and retried). */
const webApiTimeoutMs = 15_000;

export interface SlackAppParts {
  app: App;
  receiver: SocketModeReceiver | HTTPReceiver;
}

/** Options of every Web API client; a fresh object each time, because Bolt and the Socket Mode client write into the one they get. */
export function webClientOptions(settings: SlackConfig, retries: webApi.RetryOptions): webApi.WebClientOptions {
  return { slackApiUrl: settings.apiUrl, retryConfig: { ...retries }, timeout: webApiTimeoutMs, rejectRateLimitedCalls: false };
}

/**
 * The real Bolt app with the receiver the configuration asks for: Socket Mode (an
 * outbound WebSocket opened with the app-level token) or the HTTP Events API (requests
 * verified against the signing secret: a bad or stale signature gets 401). The bot
 * identity comes from the caller's own `auth.test`, so Bolt does not call it again.
 */
export function createSlackApp(
  settings: SlackConfig,
  secrets: SlackSecrets,
  identity: { botUserId: string; botId: string },
  logger: Logger,
  retries: webApi.RetryOptions = defaultWebApiRetries,
): SlackAppParts {
  const receiver =
    settings.mode === 'socket'
      ? new SocketModeReceiver({
          appToken: secrets.appToken!,
          logger,
          logLevel: logger.getLevel(),
          installerOptions: { clientOptions: webClientOptions(settings, retries) },
        })
      : new HTTPReceiver({
          signingSecret: secrets.signingSecret!,
          endpoints: settings.http.path,
          logger,
          logLevel: logger.getLevel(),
          // Acknowledge at once; answering takes longer than the 3 s Slack waits before retrying.
          processBeforeResponse: false,
        });
  const app = new App({
    token: secrets.botToken,
    botUserId: identity.botUserId,
    botId: identity.botId,
    tokenVerificationEnabled: false,
    receiver,
    socketMode: settings.mode === 'socket',
    logger,
    logLevel: logger.getLevel(),
    clientOptions: webClientOptions(settings, retries),
    // Bolt's conversation store is per-process state Docent does not use.
    convoStore: false,
    ignoreSelf: true,
  });
  return { app, receiver };
}

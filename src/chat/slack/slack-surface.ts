import { setMaxListeners } from 'node:events';
import type { AddressInfo } from 'node:net';
import { LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import type { DocentConfig } from '../../config/schema.js';
import type { AnswerEngine } from '../../core/answer-engine.js';
import { DocentError, describeError } from '../../core/errors.js';
import type { FeedbackRecorder } from '../../core/feedback.js';
import { consoleSurfaceLogger } from '../console-surface-logger.js';
import { ConversationMemory, type ConversationMemoryOptions } from '../conversation-memory.js';
import type { SlackAnswering } from './answer-in-slack.js';
import { ExpiringMap } from '../expiring-map.js';
import { registerFeedbackAction } from './feedback-action.js';
import { registerMessageListeners } from './message-listeners.js';
import { registerShareAction } from './share-action.js';
import { createSlackApp, defaultWebApiRetries, webClientOptions } from './slack-app.js';
import { SlackIdentities, type ResolvePrincipals } from './slack-identity.js';
import { boltLogger, type SlackSurfaceLogger } from './slack-logger.js';
import { SlackMembers } from './slack-members.js';
import { readSlackSecrets, slackSecretNames } from './slack-secrets.js';
import type { AudienceResolver, SlackAccess } from './slack-question.js';
import { registerSlashCommand, type ShareableAnswer } from './slash-command.js';

export { slackSurfaceEnabled } from './slack-secrets.js';
export type { ResolvePrincipals } from './slack-identity.js';
export type { AudienceResolver, SlackAccess } from './slack-question.js';
export type { SlackSurfaceLogger } from './slack-logger.js';

export interface SlackSurfaceOptions {
  /** Answers every question; the adapter only translates Slack to it and back. */
  engine: AnswerEngine;
  /** Where 👍/👎 go; without it answers carry no feedback buttons. */
  feedback?: FeedbackRecorder;
  /** `config.slack`, and `config.channels.maximumCommonMembers` (default 1000) when given; the rest is ignored. */
  config: Pick<DocentConfig, 'slack'> & Partial<Pick<DocentConfig, 'channels'>>;
  logger?: SlackSurfaceLogger;
  /** Where the tokens and signing secret are read; `process.env` by default. */
  environment?: NodeJS.ProcessEnv;
  /**
   * Docent's permission code (an AccessResolver): the asker's principals from the
   * directory, channel source restrictions, and for a channel answer every member's
   * access. Without it the asker holds `user:<slack id>` and `user:<e-mail>` plus what
   * `resolvePrincipals` adds, and a channel answer's audience comes from `resolveAudience`.
   */
  access?: SlackAccess;
  /** Without `access`: the directory's groups for a Slack user (by id and e-mail). */
  resolvePrincipals?: ResolvePrincipals;
  /** Without `access`: who reads a channel answer (the Teams surface takes the same function); public documents only without it. */
  resolveAudience?: AudienceResolver;
  /** Memory of thread and direct message conversations, or its bounds (default: 6 turns, 1000 conversations, 1 hour). */
  conversations?: ConversationMemory | ConversationMemoryOptions;
  /** Web API retry policy; tests shorten it. */
  webApiRetries?: webApi.RetryOptions;
  /** Longest wait at `stop()` for answers in flight before they are cut short with an apology. */
  stopGraceMs?: number;
}

export type SlackConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'disconnected' | 'stopped';

/** For `/readyz`: the shape of a readiness check, plus what it is based on. */
export interface SlackSurfaceState {
  ok: boolean;
  /** One line: mode, workspace and bot, and the connection's state. */
  detail: string;
  mode: 'socket' | 'http';
  status: SlackConnectionStatus;
}

export interface SlackSurface {
  /** Stops receiving, lets answers in flight finish (or apologise), then disconnects. */
  stop(): Promise<void>;
  state(): SlackSurfaceState;
  /** HTTP mode: where Slack's requests are received (the port is the real one when 0 was configured). */
  address?: { host: string; port: number };
}

const platformCredentialErrors = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired', 'not_allowed_token_type', 'missing_scope']);

function platformError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

/** A start failure in Docent's terms: which secret Slack refused, or that Slack could not be reached. */
function startError(error: unknown, secretName: string, apiUrl: string): DocentError {
  const code = platformError(error);
  if (code && platformCredentialErrors.has(code)) return new DocentError('credentials_rejected', `Slack rejected ${secretName} (${code})`, { cause: error });
  if (code) return new DocentError('invalid_request', `Slack refused to connect: ${code}`, { cause: error });
  return new DocentError('source_unreachable', `Slack could not be reached at ${apiUrl}: ${describeError(error)}`, { cause: error });
}

/**
 * Starts answering in Slack as `config.slack` says: checks the bot token (`auth.test`),
 * then connects by Socket Mode or listens for the HTTP Events API. Resolves once
 * connected; rejects with `config_invalid` (a secret is missing), `credentials_rejected`
 * or `source_unreachable`.
 */
export async function startSlackSurface(options: SlackSurfaceOptions): Promise<SlackSurface> {
  const settings = options.config.slack;
  const logger: SlackSurfaceLogger = options.logger ?? consoleSurfaceLogger('slack');
  const secrets = readSlackSecrets(settings, options.environment ?? process.env);
  const retries = options.webApiRetries ?? defaultWebApiRetries;
  const stopGraceMs = options.stopGraceMs ?? 10_000;

  let identity: { botUserId: string; botId: string; team: string; user: string };
  try {
    const result = await new webApi.WebClient(secrets.botToken, { ...webClientOptions(settings, retries), logger: boltLogger(logger, LogLevel.ERROR) }).auth.test();
    if (!result.user_id || !result.bot_id) throw new DocentError('credentials_rejected', `${slackSecretNames.botToken} is not a bot token (auth.test named no bot)`);
    identity = { botUserId: result.user_id, botId: result.bot_id, team: `${result.team ?? ''} (${result.team_id ?? '?'})`, user: result.user ?? result.user_id };
  } catch (error) {
    throw error instanceof DocentError ? error : startError(error, slackSecretNames.botToken, settings.apiUrl);
  }

  const { app, receiver } = createSlackApp(settings, secrets, identity, boltLogger(logger), retries);
  const stopping = new AbortController();
  // Every answer in flight listens to it: as many listeners as questions being answered.
  setMaxListeners(0, stopping.signal);
  const inFlight = new Set<Promise<unknown>>();
  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };
  const hour = 60 * 60 * 1000;
  const memory = options.conversations instanceof ConversationMemory ? options.conversations : new ConversationMemory(options.conversations);
  const identities = new SlackIdentities({ logger, ...(options.resolvePrincipals ? { resolvePrincipals: options.resolvePrincipals } : {}) });
  const members = new SlackMembers(identities);
  const answering: SlackAnswering = {
    engine: options.engine,
    identities,
    members,
    memory,
    logger,
    publicUrl: settings.publicUrl,
    feedback: options.feedback !== undefined,
    updateIntervalMs: settings.updateIntervalMs,
    ...(options.access ? { access: options.access } : {}),
    ...(options.resolveAudience ? { resolveAudience: options.resolveAudience } : {}),
    maximumChannelMembers: options.config.channels?.maximumCommonMembers ?? 1000,
    signal: stopping.signal,
  };
  // Slack redelivers an event after 3 s without an acknowledgement, then after 1 and 5 minutes.
  const deliveredEvents = new ExpiringMap<true>({ expireAfterMs: hour, maxEntries: 50_000 });
  const claimedMessages = new ExpiringMap<true>({ expireAfterMs: hour, maxEntries: 50_000 });
  // Longer than the memory of turns: a follow-up after an hour is still answered, without the old turns.
  const botThreads = new ExpiringMap<true>({ expireAfterMs: 7 * 24 * hour, maxEntries: 100_000 });
  const shareable = new ExpiringMap<ShareableAnswer>({ expireAfterMs: 12 * hour, maxEntries: 2_000 });

  app.use(async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string' && !deliveredEvents.claim(eventId, true)) {
      logger.debug?.({ eventId, retry: context.retryNum, reason: context.retryReason }, 'ignored a redelivered event');
      return;
    }
    await next();
  });
  // A channel's member list must not outlive a change of members (see SlackMembers).
  const forgetMembers = async ({ event }: { event: { channel?: unknown } }): Promise<void> => {
    if (typeof event.channel === 'string') members.forget(event.channel);
  };
  app.event('member_joined_channel', forgetMembers);
  app.event('member_left_channel', forgetMembers);
  registerMessageListeners(app, { answering, claimedMessages, botThreads, track, command: settings.command });
  registerSlashCommand(app, { answering, command: settings.command, shareable, track });
  registerShareAction(app, { answering, shareable, botThreads, track });
  if (options.feedback) registerFeedbackAction(app, { answering, recorder: options.feedback, track });
  app.error(async (error) => {
    logger.error({ error: describeError(error) }, 'unhandled error in a listener');
  });

  let status: SlackConnectionStatus = 'connecting';
  let stopRequested = false;
  const setStatus = (next: SlackConnectionStatus): void => {
    if (!stopRequested) status = next;
  };
  let address: { host: string; port: number } | undefined;
  if (receiver instanceof SocketModeReceiver) {
    const client = receiver.client;
    client.on('connecting', () => setStatus('connecting'));
    client.on('connected', () => setStatus('connected'));
    // The socket closed (Slack asked for a reconnection, or the network failed); the client reconnects by itself after a pause.
    client.on('close', () => {
      if (!stopRequested && status === 'connected') logger.warn({}, 'Socket Mode connection closed; reconnecting');
      setStatus('reconnecting');
    });
    client.on('disconnected', () => setStatus('disconnected'));
    try {
      await app.start();
    } catch (error) {
      await receiver.stop().catch(() => undefined);
      throw startError(error, slackSecretNames.appToken, settings.apiUrl);
    }
    setStatus('connected');
  } else {
    const server = (await app.start({ host: settings.http.host, port: settings.http.port })) as { address(): AddressInfo | string | null };
    const bound = server.address();
    address = { host: settings.http.host, port: typeof bound === 'object' && bound ? bound.port : settings.http.port };
    setStatus('connected');
  }
  logger.info({ bot: `@${identity.user}`, workspace: identity.team, mode: settings.mode, ...(address ? { address: `${address.host}:${address.port}${settings.http.path}` } : {}) }, 'answering in Slack');

  const describeStatus = (): string => {
    const how = settings.mode === 'socket' ? 'Socket Mode' : `HTTP Events API on port ${address?.port} (${settings.http.path})`;
    const where = `@${identity.user} in ${identity.team}`;
    switch (status) {
      case 'connected':
        return `${how}, ${settings.mode === 'socket' ? 'connected' : 'receiving'} as ${where}`;
      case 'connecting':
      case 'reconnecting':
        return `${how}, ${status} as ${where}`;
      case 'disconnected':
        return `${how}, disconnected`;
      case 'stopped':
        return `${how}, stopped`;
    }
  };

  let stopped: Promise<void> | undefined;
  return {
    ...(address ? { address } : {}),
    state: () => ({ ok: status === 'connected', detail: describeStatus(), mode: settings.mode, status }),
    stop: () => {
      stopped ??= (async () => {
        stopRequested = true;
        const wait = (milliseconds: number) => new Promise<void>((resolve) => setTimeout(resolve, milliseconds).unref());
        // Stop taking new questions first; answers in flight still reach Slack over the Web API.
        status = 'stopped';
        // Bolt's Socket Mode receiver does not wait for the close handshake; the client's own disconnect does.
        const receiving = receiver instanceof SocketModeReceiver ? receiver.client.disconnect() : app.stop();
        await receiving.catch((error: unknown) => logger.warn({ error: describeError(error) }, 'stopping the receiver failed'));
        await Promise.race([Promise.allSettled([...inFlight]), wait(stopGraceMs)]);
        stopping.abort(new DocentError('generation_cancelled', 'Docent is shutting down'));
        await Promise.race([Promise.allSettled([...inFlight]), wait(5_000)]);
      })();
      return stopped;
    },
  };
}

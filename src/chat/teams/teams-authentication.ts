import { ConfigurationBotFrameworkAuthentication, type CloudAdapter } from 'botbuilder';
import type { TeamsConfig } from '../../config/schema.js';
import { DocentError } from '../../core/errors.js';

/** What `CloudAdapter` authenticates with; tests and sovereign clouds may pass their own. */
export type BotFrameworkAuthentication = NonNullable<ConstructorParameters<typeof CloudAdapter>[0]>;

/** Whether the Teams surface should start: an app id is set, or unauthenticated local mode is asked for. */
export function teamsConfigured(config: TeamsConfig): boolean {
  return Boolean(config.appId) || config.allowUnauthenticated;
}

/**
 * botbuilder's public-cloud endpoints. It uses its built-in ones only while no endpoint
 * setting is given at all; one override switches every other endpoint to "unset", so an
 * override is laid over these.
 */
const publicCloudSettings: Record<string, string> = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

/** Beyond Docent's settings: other clouds' endpoints, or local stand-ins of them in tests. */
export interface TeamsAuthenticationOverrides {
  /** botbuilder settings by their own names, e.g. `ToBotFromChannelOpenIdMetadataUrl`. */
  settings?: Record<string, string>;
  /** How reply credentials (tokens for the app id) are made. */
  credentialsFactory?: ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1];
}

/**
 * Bot Framework authentication from Docent's settings: with an app id, every inbound
 * request must carry a token the Bot Framework signed for this bot (CloudAdapter answers
 * 401 otherwise) and replies are sent with a token for the app id and password; without
 * one, botbuilder skips authentication altogether, which Docent allows only in local mode.
 */
export function teamsAuthentication(config: TeamsConfig, environment: NodeJS.ProcessEnv = process.env, overrides: TeamsAuthenticationOverrides = {}): BotFrameworkAuthentication {
  if (!config.appId) {
    if (!config.allowUnauthenticated) {
      throw new DocentError('config_invalid', 'Teams needs teams.appId (DOCENT_TEAMS_APP_ID) and DOCENT_TEAMS_APP_PASSWORD, or teams.allowUnauthenticated for local testing.');
    }
    return new ConfigurationBotFrameworkAuthentication({});
  }
  const password = environment.DOCENT_TEAMS_APP_PASSWORD?.trim();
  if (!password) throw new DocentError('config_invalid', 'DOCENT_TEAMS_APP_PASSWORD is not set: Teams needs the client secret of the bot app registration.');
  if (config.appType === 'SingleTenant' && !config.tenantId) {
    throw new DocentError('config_invalid', 'teams.tenantId (DOCENT_TEAMS_TENANT_ID) is required for a SingleTenant bot.');
  }
  return new ConfigurationBotFrameworkAuthentication(
    {
      ...(overrides.settings ? { ...publicCloudSettings, ...overrides.settings } : {}),
      MicrosoftAppId: config.appId,
      MicrosoftAppPassword: password,
      MicrosoftAppType: config.appType,
      ...(config.tenantId ? { MicrosoftAppTenantId: config.tenantId } : {}),
    },
    overrides.credentialsFactory,
  );
}

const loopbackHost = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * In unauthenticated mode anyone who can reach the endpoint could make the bot post
 * answers to a URL of their choosing, so only replies to this machine are allowed.
 */
export function isLocalServiceUrl(serviceUrl: unknown): boolean {
  if (typeof serviceUrl !== 'string') return false;
  try {
    return loopbackHost.test(new URL(serviceUrl).hostname);
  } catch {
    return false;
  }
}

import type { DocentConfig, SlackConfig } from '../../config/schema.js';
import { DocentError } from '../../core/errors.js';

/** What Slack issues to the app; read from the environment only, never from a file or a log. */
export interface SlackSecrets {
  /** Bot User OAuth Token (`xoxb-…`): posts and edits messages, reads users' e-mail. */
  botToken: string;
  /** App-level token (`xapp-…`) with `connections:write`: opens the Socket Mode connection. */
  appToken?: string;
  /** Signing secret: proves that an HTTP request came from Slack. */
  signingSecret?: string;
}

export const slackSecretNames = {
  botToken: 'DOCENT_SLACK_BOT_TOKEN',
  appToken: 'DOCENT_SLACK_APP_TOKEN',
  signingSecret: 'DOCENT_SLACK_SIGNING_SECRET',
} as const;

/** Whether `docent serve` should answer in Slack: `slack.enabled`, or else whether a bot token is set. */
export function slackSurfaceEnabled(config: DocentConfig, environment: NodeJS.ProcessEnv = process.env): boolean {
  return config.slack.enabled ?? Boolean(environment[slackSecretNames.botToken]?.trim());
}

function required(environment: NodeJS.ProcessEnv, name: string, why: string): string {
  const value = environment[name]?.trim();
  if (!value) throw new DocentError('config_invalid', `${name} is not set: ${why}`);
  return value;
}

/** The secrets the configured mode needs; a missing one fails at start, naming the variable and what it is for. */
export function readSlackSecrets(settings: SlackConfig, environment: NodeJS.ProcessEnv = process.env): SlackSecrets {
  const botToken = required(environment, slackSecretNames.botToken, "Slack needs the app's Bot User OAuth Token (xoxb-…, under OAuth & Permissions)");
  if (settings.mode === 'socket') {
    const appToken = required(environment, slackSecretNames.appToken, 'Socket Mode needs an app-level token (xapp-…, under Basic Information) with the connections:write scope; or set slack.mode to http');
    return { botToken, appToken };
  }
  const signingSecret = required(environment, slackSecretNames.signingSecret, "the HTTP Events API needs the app's signing secret (under Basic Information) to verify requests");
  return { botToken, signingSecret };
}

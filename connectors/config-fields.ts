import { z } from 'zod';
import type { ConnectorDefinition } from '../src/core/connector.js';
import { DocentError } from '../src/core/errors.js';

/**
 * A setting that names the environment variable holding a secret (a token, a password),
 * never the secret itself: configs are stored in the data directory and shown by
 * `docent connectors show`. Use it for every secret a connector needs.
 */
export function environmentVariableName(): z.ZodString {
  return z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'must name an environment variable (e.g. CONFLUENCE_TOKEN), not hold the secret itself' });
}

/**
 * Every kind's `allowEmpty` setting: a source that lists no documents while documents from
 * it are indexed fails the run (`source_unreachable`, nothing deleted), since an unmounted
 * share or a wrong address looks empty too; `true` lets a source that was really emptied
 * remove its documents from the index.
 */
export function allowEmptySetting(): z.ZodDefault<z.ZodBoolean> {
  return z.boolean().default(false);
}

/** Reads a secret through the variable a config names; a clear `credentials_rejected` when it is not set. */
export function secretFromEnvironment(env: Readonly<Record<string, string | undefined>>, variable: string, purpose: string): string {
  const value = env[variable];
  if (!value) throw new DocentError('credentials_rejected', `the environment variable ${variable} (${purpose}) is not set`, { retryable: false });
  return value;
}

/** Validates an admin's settings against a kind's schema: the parsed config, or `config_invalid` naming each wrong key. */
export function parseConnectorConfig<Config>(definition: ConnectorDefinition<Config>, raw: unknown): Config {
  const parsed = definition.configSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(settings)'}: ${issue.message}`).join('; ');
  throw new DocentError('config_invalid', `invalid ${definition.kind} settings: ${problems}`, { retryable: false });
}

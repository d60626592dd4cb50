import { DocentError } from '../../src/core/errors.js';
import type { WebSiteAuth } from './config.js';

/**
 * The headers that authenticate requests to the site, built from the environment. The
 * values are secrets: they go into requests and nowhere else (no log line, no error).
 */
export function authHeaders(auth: WebSiteAuth | undefined, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  if (auth === undefined) return {};
  const read = (variable: string, setting: string): string => {
    const value = env[variable];
    if (value === undefined || value === '') {
      throw new DocentError('config_invalid', `the environment variable ${variable} (auth.${setting}) is not set; it must hold the site's credentials`);
    }
    return value;
  };
  switch (auth.scheme) {
    case 'bearer':
      return { authorization: `Bearer ${read(auth.tokenVariable, 'tokenVariable')}` };
    case 'basic':
      return { authorization: `Basic ${Buffer.from(read(auth.credentialsVariable, 'credentialsVariable'), 'utf8').toString('base64')}` };
    case 'header':
      return { [auth.header.toLowerCase()]: read(auth.valueVariable, 'valueVariable') };
  }
}

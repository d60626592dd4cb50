import { secretFromEnvironment } from '../config-fields.js';
import type { WebSiteAuth } from './config.js';

/**
 * The headers that authenticate requests to the site, built from the environment. The
 * values are secrets: they go into requests and nowhere else (no log line, no error).
 * A variable that is not set is `credentials_rejected`, as for every connector.
 */
export function authHeaders(auth: WebSiteAuth | undefined, env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  if (auth === undefined) return {};
  switch (auth.scheme) {
    case 'bearer':
      return { authorization: `Bearer ${secretFromEnvironment(env, auth.tokenVariable, 'the web site\'s bearer token, auth.tokenVariable')}` };
    case 'basic': {
      const credentials = secretFromEnvironment(env, auth.credentialsVariable, 'the web site\'s user:password, auth.credentialsVariable');
      return { authorization: `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}` };
    }
    case 'header':
      return { [auth.header.toLowerCase()]: secretFromEnvironment(env, auth.valueVariable, `the web site's ${auth.header} header, auth.valueVariable`) };
  }
}

import { DocentError } from '../../src/core/errors.js';
import { secretFromEnvironment } from '../config-fields.js';
import type { GitConnectorConfig } from './git-connector-config.js';
import type { RepositoryAddress } from './repository-address.js';

/** How every git process of one connector is started. */
export interface GitEnvironment {
  /** The child's environment variables: the worker's own, cleaned, plus the settings below. */
  variables: Record<string, string>;
  /** Values that must never appear in a message or log line (the token and its encoded header). */
  secrets: string[];
}

/**
 * Variables that would point git at another repository, index or configuration than the
 * one we name (set, for instance, when Docent itself runs inside a git hook), or make it
 * trace its traffic to a file.
 */
const inheritedVariablesToDrop = [
  /^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|COMMON_DIR|NAMESPACE|PREFIX|QUARANTINE_PATH|CEILING_DIRECTORIES|DISCOVERY_ACROSS_FILESYSTEM)$/,
  /^GIT_CONFIG(_PARAMETERS|_COUNT|_KEY_\d+|_VALUE_\d+)?$/,
  /^GIT_TRACE/,
  /^LANGUAGE$/,
];

/**
 * Builds the environment of the git processes. The token reaches git as configuration in
 * environment variables (`GIT_CONFIG_COUNT`/`KEY_n`/`VALUE_n`, git 2.31+), never as an
 * argument: arguments are visible to every user in `ps`, a process's environment only to
 * its owner. The header is scoped to the repository's origin, so a redirect to another
 * host does not carry it. Prompts are switched off so that a refused credential fails at
 * once instead of waiting for a terminal that a worker does not have.
 */
export function buildGitEnvironment(
  address: RepositoryAddress,
  credentials: GitConnectorConfig['credentials'],
  inherited: Readonly<Record<string, string | undefined>>,
): GitEnvironment {
  const variables: Record<string, string> = {};
  for (const [name, value] of Object.entries(inherited)) {
    if (value === undefined) continue;
    if (inheritedVariablesToDrop.some((pattern) => pattern.test(name))) continue;
    if (credentials !== undefined && name === credentials.tokenVariable) continue;
    variables[name] = value;
  }
  variables.GIT_TERMINAL_PROMPT = '0';
  variables.GCM_INTERACTIVE = 'never';
  // English messages, so that failures can be told apart (authentication or network).
  variables.LC_ALL = 'C';
  if (variables.GIT_SSH_COMMAND === undefined && variables.GIT_SSH === undefined) {
    variables.GIT_SSH_COMMAND = 'ssh -o BatchMode=yes';
  }

  const configuration: Array<[string, string]> = [
    // Transports that run commands are never wanted, whatever a redirect or submodule says.
    ['protocol.ext.allow', 'never'],
    ['protocol.fd.allow', 'never'],
  ];
  const secrets: string[] = [];
  if (credentials !== undefined) {
    if (address.httpOrigin === undefined) throw new DocentError('config_invalid', 'a token is only used with http(s) repository URLs');
    const token = secretFromEnvironment(inherited, credentials.tokenVariable, 'the Git repository token');
    const header = authorizationHeader(credentials.scheme, credentials.username, token);
    // An empty helper list first: a stale stored password must not be tried after the token.
    configuration.push(['credential.helper', ''], [`http.${address.httpOrigin}.extraHeader`, header]);
    secrets.push(token, header.slice(header.lastIndexOf(' ') + 1));
  }
  variables.GIT_CONFIG_COUNT = String(configuration.length);
  configuration.forEach(([key, value], index) => {
    variables[`GIT_CONFIG_KEY_${index}`] = key;
    variables[`GIT_CONFIG_VALUE_${index}`] = value;
  });
  return { variables, secrets };
}

function authorizationHeader(scheme: 'basic' | 'bearer', username: string, token: string): string {
  if (scheme === 'bearer') return `Authorization: Bearer ${token}`;
  return `Authorization: Basic ${Buffer.from(`${username}:${token}`, 'utf8').toString('base64')}`;
}

/** Replaces every secret in a text that is about to reach a message or a log. */
export function withoutSecrets(text: string, secrets: readonly string[]): string {
  let cleaned = text;
  for (const secret of secrets) {
    if (secret.length > 0) cleaned = cleaned.split(secret).join('***');
  }
  return cleaned;
}

import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { DocentError } from '../core/errors.js';
import { configSchema, type DocentConfig } from './schema.js';

/** Environment variables that are not settings but steer how settings are found. */
const environmentControls = new Set(['DOCENT_CONFIG']);
/** Secrets are read from the environment where they are used, never from a file, so they are not settings. */
export const environmentSecrets = new Set(['DOCENT_LLM_API_KEY', 'DOCENT_DIRECTORY_BIND_PASSWORD', 'DOCENT_TEAMS_APP_PASSWORD', 'DOCENT_SLACK_BOT_TOKEN', 'DOCENT_SLACK_APP_TOKEN', 'DOCENT_SLACK_SIGNING_SECRET']);
/** Conventional names honoured beside their `DOCENT_*` form. */
const environmentAliases: Record<string, string[]> = { PORT: ['server', 'port'], REDIS_URL: ['jobs', 'redisUrl'] };
/** Settings whose value may carry a password (a Redis URL): an error names them but never repeats the value. */
const credentialBearingSettings = new Set(['jobs.redisUrl']);

export interface LoadOptions {
  /** Path of the YAML file; `DOCENT_CONFIG`, then `./docent.yaml` when omitted. */
  file?: string;
  environment?: NodeJS.ProcessEnv;
  /** Settings given on the command line; they win over file and environment. */
  overrides?: Record<string, unknown>;
}

function toEnvironmentName(settingPath: string[]): string {
  return ['DOCENT', ...settingPath.map((segment) => segment.replace(/([a-z0-9])([A-Z])/g, '$1_$2'))].join('_').toUpperCase();
}

/** Every leaf setting path of the schema, so that environment names are derived, never listed by hand. */
function settingPaths(schema: z.ZodType, prefix: string[] = []): string[][] {
  let inner: z.ZodType = schema;
  for (;;) {
    const definition = (inner as unknown as { def: { type: string; innerType?: z.ZodType; in?: z.ZodType } }).def;
    if (definition.innerType) inner = definition.innerType;
    else if (definition.type === 'pipe' && definition.in) inner = definition.in;
    else break;
  }
  const shape = (inner as unknown as { shape?: Record<string, z.ZodType> }).shape;
  if ((inner as unknown as { def: { type: string } }).def.type !== 'object' || !shape) return [prefix];
  return Object.entries(shape).flatMap(([key, child]) => settingPaths(child, [...prefix, key]));
}

function setPath(target: Record<string, unknown>, settingPath: string[], value: unknown): void {
  let node = target;
  for (const segment of settingPath.slice(0, -1)) {
    const next = node[segment];
    if (typeof next !== 'object' || next === null) node[segment] = {};
    node = node[segment] as Record<string, unknown>;
  }
  node[settingPath[settingPath.length - 1]!] = value;
}

function closestName(name: string, candidates: string[]): string | undefined {
  const distance = (a: string, b: string): number => {
    const row = Array.from({ length: b.length + 1 }, (_, index) => index);
    for (let i = 1; i <= a.length; i++) {
      let previous = row[0]!;
      row[0] = i;
      for (let j = 1; j <= b.length; j++) {
        const current = row[j]!;
        row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
        previous = current;
      }
    }
    return row[b.length]!;
  };
  const ranked = candidates.map((candidate) => ({ candidate, cost: distance(name, candidate) })).sort((x, y) => x.cost - y.cost);
  return ranked[0] && ranked[0].cost <= 3 ? ranked[0].candidate : undefined;
}

/**
 * Reads `docent.yaml` (if present) and `DOCENT_*` variables, validates them once and
 * returns typed settings. Errors name the offending key where the user wrote it (file
 * key or variable name) and the form it should take.
 */
export function loadConfig(options: LoadOptions = {}): DocentConfig {
  const environment = options.environment ?? process.env;
  const filePath = options.file ?? environment.DOCENT_CONFIG ?? 'docent.yaml';
  const explicitFile = options.file !== undefined || environment.DOCENT_CONFIG !== undefined;
  const origin = new Map<string, string>();
  let raw: Record<string, unknown> = {};

  if (existsSync(filePath)) {
    let parsed: unknown;
    try {
      parsed = parseYaml(readFileSync(filePath, 'utf8'));
    } catch (error) {
      throw new DocentError('config_invalid', `${filePath}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
    if (parsed !== null && parsed !== undefined) {
      if (typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new DocentError('config_invalid', `${filePath}: expected a mapping of settings at the top level`);
      }
      raw = parsed as Record<string, unknown>;
    }
  } else if (explicitFile) {
    throw new DocentError('config_invalid', `config file ${path.resolve(filePath)} does not exist`);
  }

  const pathsByVariable = new Map(settingPaths(configSchema).map((settingPath) => [toEnvironmentName(settingPath), settingPath]));
  for (const [alias, settingPath] of Object.entries(environmentAliases)) {
    const value = environment[alias];
    if (value !== undefined && value !== '' && environment[toEnvironmentName(settingPath)] === undefined) {
      setPath(raw, settingPath, value);
      origin.set(settingPath.join('.'), alias);
    }
  }
  for (const [name, value] of Object.entries(environment)) {
    if (!name.startsWith('DOCENT_') || environmentControls.has(name) || environmentSecrets.has(name) || value === undefined || value === '') continue;
    const settingPath = pathsByVariable.get(name);
    if (!settingPath) {
      const suggestion = closestName(name, [...pathsByVariable.keys()]);
      throw new DocentError('config_invalid', `${name}: not a Docent setting${suggestion ? ` (did you mean ${suggestion}?)` : ''}`);
    }
    setPath(raw, settingPath, value);
    origin.set(settingPath.join('.'), name);
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value === undefined) continue;
    setPath(raw, key.split('.'), value);
    origin.set(key, `--${key}`);
  }

  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key].join('.')) : [issue.path.join('.')];
    return keys
      .map((key) => {
        const where = origin.get(key) ?? `${filePath}: ${key || '(top level)'}`;
        const message = issue.code === 'unrecognized_keys' ? 'not a Docent setting' : issue.message.replace(/^Invalid input: /, '');
        const given = issue.code !== 'unrecognized_keys' && origin.has(key) && !credentialBearingSettings.has(key) ? ` (got "${environment[origin.get(key)!] ?? ''}")` : '';
        return `${where}: ${message}${given}`;
      })
      .join('\n');
  });
  throw new DocentError('config_invalid', `invalid configuration:\n${problems.join('\n')}`);
}

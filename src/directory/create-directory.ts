import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { DirectoryConfig } from '../config/schema.js';
import type { Directory } from '../core/directory.js';
import { DocentError, describeError } from '../core/errors.js';
import { CachedDirectory } from './cached-directory.js';
import { LdapDirectory } from './ldap-directory.js';
import { NoDirectory } from './no-directory.js';
import { StaticDirectory } from './static-directory.js';

/** The bind password's only source: secrets never sit in a settings file. */
export const bindPasswordVariable = 'DOCENT_DIRECTORY_BIND_PASSWORD';

export interface CreateDirectoryOptions {
  environment?: NodeJS.ProcessEnv;
  /** Clock for the cache, for tests. */
  now?: () => number;
}

/** The configured directory behind its cache; checks the settings (file, filters, password) before the first question. */
export async function createDirectory(config: DirectoryConfig, options: CreateDirectoryOptions = {}): Promise<Directory> {
  const cache = { cacheSeconds: config.cacheSeconds, ...(options.now ? { now: options.now } : {}) };
  switch (config.kind) {
    case 'none':
      return new NoDirectory();
    case 'static':
      return new CachedDirectory(await StaticDirectory.open(path.resolve(config.file!)), cache);
    case 'ldap': {
      const environment = options.environment ?? process.env;
      const bindPassword = environment[bindPasswordVariable];
      if (config.bindDn && !bindPassword) throw new DocentError('config_invalid', `directory.bindDn is set but ${bindPasswordVariable} is not: set the service account's password in that environment variable`);
      let ca: Buffer | undefined;
      if (config.caFile) {
        try {
          ca = await readFile(config.caFile);
        } catch (error) {
          throw new DocentError('config_invalid', `directory.caFile: cannot read ${config.caFile}: ${describeError(error)}`, { cause: error });
        }
      }
      const ldap = new LdapDirectory({
        url: config.url!,
        ...(config.bindDn ? { bindDn: config.bindDn, bindPassword: bindPassword! } : {}),
        baseDn: config.baseDn!,
        userFilter: config.userFilter,
        groupAttribute: config.groupAttribute,
        ...(config.groupFilter ? { groupFilter: config.groupFilter } : {}),
        groupNameAttribute: config.groupNameAttribute,
        emailAttribute: config.emailAttribute,
        upnAttribute: config.upnAttribute,
        loginAttribute: config.loginAttribute,
        displayNameAttribute: config.displayNameAttribute,
        timeoutSeconds: config.timeoutSeconds,
        ...(ca ? { tlsOptions: { ca } } : {}),
      });
      return new CachedDirectory(ldap, cache);
    }
  }
}

import type { ConnectionOptions } from 'node:tls';
import { Client, FilterParser, InvalidCredentialsError, NoSuchObjectError, SizeLimitExceededError, escapeFilter, type Entry } from 'ldapts';
import type { ChatIdentity, Directory, ResolvedIdentity } from '../core/directory.js';
import { DocentError, describeError, isDocentError } from '../core/errors.js';
import { identityPrincipals } from './identity-principals.js';

export interface LdapDirectoryOptions {
  /** `ldap://host:389` or `ldaps://host:636`. */
  url: string;
  /** Service account that searches; anonymous when unset. */
  bindDn?: string;
  bindPassword?: string;
  /** Where users and groups are searched. */
  baseDn: string;
  /** Condition every user entry must meet, e.g. `(objectClass=person)`. */
  userFilter: string;
  /** Attribute on users and groups naming the groups they belong to (`memberOf`). */
  groupAttribute: string;
  /** When set, groups are searched by membership instead: `{dn}` stands for the member's DN. */
  groupFilter?: string;
  groupNameAttribute: string;
  emailAttribute: string;
  upnAttribute: string;
  /** Matched against a web login name. */
  loginAttribute: string;
  displayNameAttribute: string;
  timeoutSeconds: number;
  tlsOptions?: ConnectionOptions;
}

/** Nesting deeper than this is almost certainly a modelling error; stop rather than walk the whole directory. */
const maximumNestingDepth = 16;
/** Group lookups in flight at once on the one connection. */
const lookupsAtOnce = 16;

interface Group {
  dn: string;
  name: string;
  /** Groups this one belongs to, when read from `groupAttribute`. */
  parents: string[];
}

/**
 * LDAP / Active Directory: finds the person's entry by the e-mail, UPN or login name their
 * chat platform gives, then collects their groups, following nesting: through each
 * group's `memberOf` (Active Directory, OpenLDAP with the memberof overlay), or by
 * searching groups whose `member` names them (`groupFilter`), level by level.
 *
 * Each resolution opens its own connection, binds and closes it: resolutions are rare
 * behind the cache, and a fresh bind never runs on a connection that silently fell back to
 * anonymous after a reconnect.
 */
export class LdapDirectory implements Directory {
  readonly kind = 'ldap';

  constructor(private readonly options: LdapDirectoryOptions) {
    for (const [name, filter] of [
      ['userFilter', options.userFilter],
      ['groupFilter', options.groupFilter],
    ] as const) {
      if (filter === undefined) continue;
      try {
        FilterParser.parseString(filter.replaceAll('{dn}', 'x'));
      } catch (error) {
        throw new DocentError('config_invalid', `directory.${name}: not a valid LDAP filter (${describeError(error)}): ${filter}`);
      }
    }
  }

  async resolve(identity: ChatIdentity): Promise<ResolvedIdentity> {
    const criteria = this.criteria(identity);
    if (criteria.length === 0) return { found: false, principals: [] };
    const timeout = this.options.timeoutSeconds * 1000;
    const client = new Client({ url: this.options.url, timeout, connectTimeout: timeout, strictDN: false, ...(this.options.tlsOptions ? { tlsOptions: this.options.tlsOptions } : {}) });
    try {
      if (this.options.bindDn) await client.bind(this.options.bindDn, this.options.bindPassword ?? '');
      const user = await this.findUser(client, identity, criteria);
      if (!user) return { found: false, principals: [] };
      const groups = this.options.groupFilter ? await this.groupsByMembership(client, user.dn) : await this.groupsByAttribute(client, valuesOf(user, this.options.groupAttribute));
      const options = this.options;
      const resolved: ResolvedIdentity = {
        found: true,
        principals: identityPrincipals([...valuesOf(user, options.loginAttribute), ...valuesOf(user, options.emailAttribute), ...valuesOf(user, options.upnAttribute)], groups),
      };
      const displayName = valuesOf(user, options.displayNameAttribute)[0];
      if (displayName) resolved.displayName = displayName;
      return resolved;
    } catch (error) {
      throw this.describeFailure(error);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  async close(): Promise<void> {}

  /** One equality test per identifier the platform gave; a platform's own user ids mean nothing to the directory. */
  private criteria(identity: ChatIdentity): string[] {
    const criteria: string[] = [];
    if (identity.email) criteria.push(`(${this.options.emailAttribute}=${escapeFilter`${identity.email}`})`);
    if (identity.upn) criteria.push(`(${this.options.upnAttribute}=${escapeFilter`${identity.upn}`})`);
    if (identity.platform === 'web' || identity.platform === 'cli') criteria.push(`(${this.options.loginAttribute}=${escapeFilter`${identity.userId}`})`);
    return criteria;
  }

  private async findUser(client: Client, identity: ChatIdentity, criteria: string[]): Promise<Entry | undefined> {
    const filter = `(&${this.options.userFilter}(|${criteria.join('')}))`;
    const attributes = [this.options.loginAttribute, this.options.emailAttribute, this.options.upnAttribute, this.options.displayNameAttribute, this.options.groupAttribute];
    let entries: Entry[];
    try {
      ({ searchEntries: entries } = await client.search(this.options.baseDn, { scope: 'sub', filter, attributes, sizeLimit: 2 }));
    } catch (error) {
      if (error instanceof SizeLimitExceededError) throw ambiguous(identity, ['more than one entry']);
      throw error;
    }
    // Two entries answering to one person: choosing either could show one the other's documents.
    if (entries.length > 1) throw ambiguous(identity, entries.map((entry) => entry.dn));
    return entries[0];
  }

  private async groupsByAttribute(client: Client, direct: string[]): Promise<string[]> {
    const names = new Set<string>();
    const seen = new Set<string>();
    let level = direct;
    for (let depth = 0; level.length > 0 && depth < maximumNestingDepth; depth++) {
      const unseen = [...new Set(level.filter((dn) => !seen.has(normalizeDn(dn))))];
      unseen.forEach((dn) => seen.add(normalizeDn(dn)));
      const groups = await inBatches(unseen, (dn) => this.lookupGroup(client, dn));
      level = [];
      for (const group of groups) {
        if (!group) continue;
        names.add(group.name);
        level.push(...group.parents);
      }
    }
    return [...names];
  }

  private async groupsByMembership(client: Client, userDn: string): Promise<string[]> {
    const names = new Set<string>();
    const seen = new Set<string>([normalizeDn(userDn)]);
    let level = [userDn];
    for (let depth = 0; level.length > 0 && depth < maximumNestingDepth; depth++) {
      const found = await inBatches(level, async (memberDn) => {
        const filter = this.options.groupFilter!.replaceAll('{dn}', escapeFilter`${memberDn}`);
        return (await client.search(this.options.baseDn, { scope: 'sub', filter, attributes: [this.options.groupNameAttribute] })).searchEntries;
      });
      level = [];
      for (const entry of found.flat()) {
        if (seen.has(normalizeDn(entry.dn))) continue;
        seen.add(normalizeDn(entry.dn));
        names.add(valuesOf(entry, this.options.groupNameAttribute)[0] ?? firstRdnValue(entry.dn));
        level.push(entry.dn);
      }
    }
    return [...names];
  }

  /** A group's name and parents; undefined for a dangling link (a group deleted, or in another domain). */
  private async lookupGroup(client: Client, dn: string): Promise<Group | undefined> {
    try {
      const { searchEntries } = await client.search(dn, { scope: 'base', filter: '(objectClass=*)', attributes: [this.options.groupNameAttribute, this.options.groupAttribute] });
      const entry = searchEntries[0];
      if (!entry) return undefined;
      return { dn, name: valuesOf(entry, this.options.groupNameAttribute)[0] ?? firstRdnValue(dn), parents: valuesOf(entry, this.options.groupAttribute) };
    } catch (error) {
      if (error instanceof NoSuchObjectError) return undefined;
      throw error;
    }
  }

  private describeFailure(error: unknown): DocentError {
    if (isDocentError(error)) return error;
    const where = `the LDAP directory at ${this.options.url}`;
    if (error instanceof InvalidCredentialsError) {
      return new DocentError('credentials_rejected', `${where} rejected the bind DN ${this.options.bindDn ?? '(anonymous)'} or its password (DOCENT_DIRECTORY_BIND_PASSWORD)`, { cause: error });
    }
    return new DocentError('directory_unavailable', `${where} could not be searched: ${describeError(error)}`, { cause: error, retryable: true });
  }
}

function ambiguous(identity: ChatIdentity, matches: string[]): DocentError {
  return new DocentError('identity_ambiguous', `${identity.platform} user ${identity.userId} matches ${matches.join(' and ')} in the directory`);
}

/** An attribute's values as strings, whatever case the server spelled its name in. */
function valuesOf(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((name) => name.toLowerCase() === attribute.toLowerCase());
  if (!key) return [];
  const value = entry[key]!;
  const values = Array.isArray(value) ? value : [value];
  return values.map((item) => (Buffer.isBuffer(item) ? item.toString('utf8') : item)).filter((item) => item.length > 0);
}

function normalizeDn(dn: string): string {
  return dn.toLowerCase().replace(/\s*([,=])\s*/g, '$1');
}

/** `Engineering` from `CN=Engineering,OU=Groups,DC=corp`: the name when the entry has no name attribute. */
function firstRdnValue(dn: string): string {
  const first = dn.split(/(?<!\\),/)[0] ?? dn;
  return first.slice(first.indexOf('=') + 1).trim();
}

async function inBatches<T, R>(items: T[], task: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += lookupsAtOnce) results.push(...(await Promise.all(items.slice(start, start + lookupsAtOnce).map(task))));
  return results;
}

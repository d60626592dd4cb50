import { readFile, stat } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { ChatIdentity, Directory, ResolvedIdentity } from '../core/directory.js';
import { DocentError, describeError } from '../core/errors.js';
import { identityPrincipals } from './identity-principals.js';

const identifiers = z.union([z.string().min(1).transform((value) => [value]), z.array(z.string().min(1))]).default([]);

const userSchema = z
  .object({
    /** The person's account name: `user:<id>`. */
    id: z.string().min(1),
    displayName: z.string().min(1).optional(),
    /** E-mail addresses, matched against the e-mail a chat platform gives (Slack). */
    email: identifiers,
    /** User principal names, matched against Teams' UPN. */
    upn: identifiers,
    /** Platform user ids: Slack member ids, Teams AAD object ids, web login names (the `id` counts as one too). */
    slack: identifiers,
    teams: identifiers,
    web: identifiers,
    groups: z.array(z.string().min(1)).default([]),
  })
  .strict();

const groupSchema = z
  .object({
    /** Groups this group belongs to: its members are members of those too. */
    memberOf: z.array(z.string().min(1)).default([]),
  })
  .strict();

const staticDirectorySchema = z
  .object({
    users: z.array(userSchema).default([]),
    groups: z.record(z.string(), groupSchema.nullable()).default({}),
  })
  .strict();

type StaticUser = z.infer<typeof userSchema>;

/** The file's content, indexed for lookups. */
interface LoadedDirectory {
  users: StaticUser[];
  /** `<platform>:<id>`, `email:<address>`, `upn:<name>` → the one user holding it. */
  owners: Map<string, StaticUser>;
  parents: Map<string, string[]>;
}

const platformFields = { slack: 'slack', teams: 'teams', web: 'web' } as const;

function parseDirectory(file: string, text: string): LoadedDirectory {
  let raw: unknown;
  try {
    raw = parseYaml(text) ?? {};
  } catch (error) {
    throw new DocentError('config_invalid', `${file}: not valid YAML: ${describeError(error)}`);
  }
  const result = staticDirectorySchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${file}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`);
    throw new DocentError('config_invalid', `invalid directory file:\n${problems.join('\n')}`);
  }
  const owners = new Map<string, StaticUser>();
  const clashes: string[] = [];
  for (const user of result.data.users) {
    const keys = [
      ...user.email.map((address) => `email:${address}`),
      ...user.upn.map((name) => `upn:${name}`),
      ...Object.keys(platformFields).flatMap((platform) => [...user[platformFields[platform as keyof typeof platformFields]], ...(platform === 'web' ? [user.id] : [])].map((id) => `${platform}:${id}`)),
    ];
    for (const key of new Set(keys.map((key) => key.toLowerCase()))) {
      const owner = owners.get(key);
      if (owner && owner !== user) clashes.push(`${key} belongs to both ${owner.id} and ${user.id}`);
      owners.set(key, user);
    }
  }
  // Two people answering to one identity would each read the other's documents.
  if (clashes.length > 0) throw new DocentError('config_invalid', `${file}: identities given to more than one user:\n${clashes.join('\n')}`);
  const parents = new Map(Object.entries(result.data.groups).map(([name, group]) => [name.toLowerCase(), (group?.memberOf ?? []).map((parent) => parent.toLowerCase())]));
  return { users: result.data.users, owners, parents };
}

/** A group and every group it belongs to, through any depth of nesting (cycles tolerated). */
function withNestedGroups(groups: string[], parents: Map<string, string[]>): string[] {
  const seen = new Set<string>();
  const pending = groups.map((group) => group.toLowerCase());
  while (pending.length > 0) {
    const group = pending.pop()!;
    if (seen.has(group)) continue;
    seen.add(group);
    pending.push(...(parents.get(group) ?? []));
  }
  return [...seen];
}

/**
 * A directory kept in a YAML file, for sites without LDAP:
 *
 * ```yaml
 * users:
 *   - id: ann
 *     displayName: Ann Lee
 *     email: ann@example.com
 *     upn: ann@corp.example.com
 *     slack: U012ABCDEF
 *     groups: [engineering]
 * groups:
 *   engineering: { memberOf: [staff] }
 * ```
 *
 * The file is read again when it changes, so edits take effect without a restart (within
 * the cache lifetime in front of it). A file that becomes unreadable or invalid makes
 * every resolution fail (and so fail closed) rather than keep memberships that an
 * administrator may have just removed.
 */
export class StaticDirectory implements Directory {
  readonly kind = 'static';
  private loaded: LoadedDirectory;
  private version: string;

  private constructor(
    readonly file: string,
    loaded: LoadedDirectory,
    version: string,
  ) {
    this.loaded = loaded;
    this.version = version;
  }

  /** Reads and checks the file; a missing or invalid one stops start-up with the reason. */
  static async open(file: string): Promise<StaticDirectory> {
    let version: string;
    let text: string;
    try {
      version = await fileVersion(file);
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new DocentError('config_invalid', `cannot read the directory file ${file}: ${describeError(error)}`, { cause: error });
    }
    return new StaticDirectory(file, parseDirectory(file, text), version);
  }

  async resolve(identity: ChatIdentity): Promise<ResolvedIdentity> {
    const { owners, parents } = await this.current();
    const keys = [`${identity.platform}:${identity.userId}`, identity.email && `email:${identity.email}`, identity.upn && `upn:${identity.upn}`].filter((key): key is string => Boolean(key));
    const matched = new Set(keys.flatMap((key) => owners.get(key.toLowerCase()) ?? []));
    if (matched.size > 1) {
      throw new DocentError('identity_ambiguous', `${identity.platform} user ${identity.userId} matches ${[...matched].map((user) => user.id).join(' and ')} in ${this.file}`);
    }
    const [user] = matched;
    if (!user) return { found: false, principals: [] };
    const resolved: ResolvedIdentity = { found: true, principals: identityPrincipals([user.id, ...user.email, ...user.upn], withNestedGroups(user.groups, parents)) };
    if (user.displayName) resolved.displayName = user.displayName;
    return resolved;
  }

  async close(): Promise<void> {}

  private async current(): Promise<LoadedDirectory> {
    try {
      const version = await fileVersion(this.file);
      if (version !== this.version) {
        this.loaded = parseDirectory(this.file, await readFile(this.file, 'utf8'));
        this.version = version;
      }
      return this.loaded;
    } catch (error) {
      const reason = error instanceof Error ? error.message.replace(/\n/g, '; ') : describeError(error);
      throw new DocentError('directory_unavailable', `the directory file ${this.file} cannot be used: ${reason}`, { cause: error, retryable: true });
    }
  }
}

/** Changes whenever the file is rewritten (an editor's save or an atomic rename). */
async function fileVersion(file: string): Promise<string> {
  const info = await stat(file);
  return `${info.mtimeMs}:${info.size}:${info.ino}`;
}

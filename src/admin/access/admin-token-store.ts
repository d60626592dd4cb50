import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { DocentError } from '../../core/errors.js';
import { JsonStateFile } from '../../core/json-state-file.js';
import { adminRoles, type AdminRole } from './admin-role.js';

const tokenPrefix = 'docent';
const idPattern = /^[0-9a-f]{16}$/;
const namePattern = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;

const storedTokenSchema = z
  .object({
    /** Public part of the token (16 hex digits): finds the entry without comparing secrets. */
    id: z.string().regex(idPattern),
    /** Who or what holds it (a person, a script); shown in the audit log as `token:<name>`. */
    name: z.string().regex(namePattern),
    role: z.enum(adminRoles as [AdminRole, ...AdminRole[]]),
    /** Random per token (base64url), so equal secrets never give equal hashes. */
    salt: z.string().min(16),
    /** SHA-256 (hex) of the salt and the secret; the secret itself is never stored. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/),
    createdAt: z.string(),
    /** Who created it (`cli:<user>`). */
    createdBy: z.string(),
    /** Set when revoked: the token no longer signs anyone in. Kept so the list shows what existed. */
    revokedAt: z.string().optional(),
    revokedBy: z.string().optional(),
  })
  .strict();

/** A token as stored: never the secret. */
export type StoredAdminToken = z.infer<typeof storedTokenSchema>;

const fileSchema = z.object({ version: z.literal(1), tokens: z.array(storedTokenSchema) }).strict();

/** A token just created: `token` is shown once and cannot be recovered later. */
export interface CreatedAdminToken {
  token: string;
  stored: StoredAdminToken;
}

function hashOf(salt: string, secret: string): Buffer {
  return createHash('sha256').update(`${salt}:${secret}`).digest();
}

/**
 * Bearer tokens for the admin API: `docent_<id>_<secret>`, with a 256-bit random secret.
 * The store (`<dataDir>/state/admin-tokens.json`, readable by its owner only) keeps a
 * salted SHA-256 of each secret, never the secret, and compares in constant time. A
 * serving process re-reads the file when it changes, so a revocation takes effect at once.
 */
export class AdminTokenStore {
  private readonly state: JsonStateFile<z.infer<typeof fileSchema>>;

  constructor(
    readonly file: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.state = new JsonStateFile(file, fileSchema, { contents: 'the admin tokens', remedy: 'fix or remove the file and create tokens again', mode: 0o600 });
  }

  static in(dataDirectory: string): AdminTokenStore {
    return new AdminTokenStore(path.join(dataDirectory, 'state', 'admin-tokens.json'));
  }

  async list(): Promise<StoredAdminToken[]> {
    return (await this.state.read())?.tokens ?? [];
  }

  /** Creates a token; the returned secret is the only copy. Names are unique among tokens not revoked. */
  async create(name: string, role: AdminRole, createdBy: string): Promise<CreatedAdminToken> {
    if (!namePattern.test(name)) throw new DocentError('invalid_request', `token name "${name}": use 1 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit`);
    const id = randomBytes(8).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const salt = randomBytes(16).toString('base64url');
    const stored: StoredAdminToken = { id, name, role, salt, sha256: hashOf(salt, secret).toString('hex'), createdAt: this.now().toISOString(), createdBy };
    await this.update((tokens) => {
      if (tokens.some((token) => token.name === name && !token.revokedAt)) throw new DocentError('invalid_request', `a token named "${name}" exists already; revoke it first or choose another name`);
      return [...tokens, stored];
    });
    return { token: `${tokenPrefix}_${id}_${secret}`, stored };
  }

  /** Revokes the token with this id, or the one not yet revoked with this name. */
  async revoke(nameOrId: string, revokedBy: string): Promise<StoredAdminToken> {
    let revoked: StoredAdminToken | undefined;
    await this.update((tokens) => {
      const target = tokens.find((token) => !token.revokedAt && (token.id === nameOrId || token.name === nameOrId));
      if (!target) throw new DocentError('invalid_request', `no token named or numbered "${nameOrId}" is in use (\`docent admin tokens list\` shows them)`);
      revoked = { ...target, revokedAt: this.now().toISOString(), revokedBy };
      return tokens.map((token) => (token === target ? revoked! : token));
    });
    return revoked!;
  }

  /** The live token this bearer value is, or undefined: malformed, unknown, revoked or a wrong secret alike. */
  async authenticate(presented: string): Promise<StoredAdminToken | undefined> {
    const parts = /^docent_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/.exec(presented);
    if (!parts) return undefined;
    const [, id, secret] = parts;
    const stored = (await this.list()).find((token) => token.id === id && !token.revokedAt);
    if (!stored) return undefined;
    return timingSafeEqual(hashOf(stored.salt, secret!), Buffer.from(stored.sha256, 'hex')) ? stored : undefined;
  }

  private async update(change: (tokens: StoredAdminToken[]) => StoredAdminToken[]): Promise<void> {
    await this.state.update((current) => ({ version: 1, tokens: change(current?.tokens ?? []) }));
  }
}

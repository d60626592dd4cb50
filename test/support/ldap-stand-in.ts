import ldap, { type LdapFilter, type SearchRequest } from 'ldapjs';

/** An entry as a directory holds it: a DN and multi-valued attributes. */
export interface LdapEntry {
  dn: string;
  attributes: Record<string, string[]>;
}

export interface LdapStandInOptions {
  /** Suffix the server holds, e.g. `dc=example,dc=com`. */
  baseDn: string;
  /** The only account allowed to bind and search. */
  bindDn: string;
  password: string;
  entries: LdapEntry[];
}

export interface LdapStandIn {
  url: string;
  /** Binds and searches received, to prove when a cache answered instead. */
  readonly binds: number;
  readonly searches: number;
  addMember(groupDn: string, memberDn: string): void;
  removeMember(groupDn: string, memberDn: string): void;
  close(): Promise<void>;
}

/** Search scopes as RFC 4511 numbers them. */
const baseObject = 0;
const wholeSubtree = 2;

/** DNs and values compare as Active Directory compares them: case-insensitive, spaces around `,` and `=` ignored. */
function normalize(value: string): string {
  return value.toLowerCase().replace(/\s*([,=])\s*/g, '$1');
}

/**
 * A local LDAP server speaking the real protocol (ldapjs's server), holding a small
 * directory the way Active Directory presents it: groups list their `member`s, and every
 * user and group carries the back-link `memberOf`, computed on each search so that a
 * membership change shows at once. Only the service account may bind and search.
 */
export async function startLdapStandIn(options: LdapStandInOptions): Promise<LdapStandIn> {
  const entries = new Map(options.entries.map((entry) => [normalize(entry.dn), { dn: entry.dn, attributes: structuredClone(entry.attributes) }]));
  let binds = 0;
  let searches = 0;

  const attributesOf = (entry: LdapEntry): Map<string, string[]> => {
    const attributes = new Map(Object.entries(entry.attributes).map(([name, values]) => [name.toLowerCase(), values]));
    const memberOf = [...entries.values()].filter((group) => (group.attributes.member ?? []).some((member) => normalize(member) === normalize(entry.dn))).map((group) => group.dn);
    attributes.set('memberof', memberOf);
    attributes.set('distinguishedname', [entry.dn]);
    return attributes;
  };

  const matches = (filter: LdapFilter, attributes: Map<string, string[]>): boolean => {
    const values = (): string[] => attributes.get(filter.attribute!.toLowerCase()) ?? [];
    switch (filter.type) {
      case 'AndFilter':
        return filter.clauses!.every((clause) => matches(clause, attributes));
      case 'OrFilter':
        return filter.clauses!.some((clause) => matches(clause, attributes));
      case 'NotFilter':
        return !matches(filter.filter!, attributes);
      case 'PresenceFilter':
        return values().length > 0;
      case 'EqualityFilter':
        return values().some((value) => normalize(value) === normalize(String(filter.value)));
      default:
        throw new ldap.UnwillingToPerformError(`the stand-in does not evaluate ${filter.type}`);
    }
  };

  const inScope = (request: SearchRequest, dn: string): boolean => {
    const base = normalize(request.dn.toString());
    const candidate = normalize(dn);
    if (request.scope === baseObject) return candidate === base;
    if (!candidate.endsWith(`,${base}`)) return request.scope === wholeSubtree && candidate === base;
    return request.scope === wholeSubtree || !candidate.slice(0, -base.length - 1).includes(',');
  };

  const server = ldap.createServer();
  server.bind(options.baseDn, (request, response, next) => {
    binds++;
    if (normalize(request.dn.toString()) !== normalize(options.bindDn) || request.credentials !== options.password) return next(new ldap.InvalidCredentialsError());
    response.end();
    return next();
  });
  server.search(options.baseDn, (request, response, next) => {
    searches++;
    if (normalize(request.connection.ldap.bindDN.toString()) !== normalize(options.bindDn)) return next(new ldap.InsufficientAccessRightsError());
    if (request.scope === baseObject && !entries.has(normalize(request.dn.toString()))) return next(new ldap.NoSuchObjectError(request.dn.toString()));
    // ldapjs compares requested attribute names lowercased; requests keep the client's case.
    const wanted = new Set(request.attributes.map((name) => name.toLowerCase()));
    response.attributes = [...wanted];
    try {
      for (const entry of entries.values()) {
        if (!inScope(request, entry.dn)) continue;
        const attributes = attributesOf(entry);
        if (!matches(request.filter, attributes)) continue;
        const sent = Object.fromEntries(
          Object.entries({ ...entry.attributes, memberOf: attributes.get('memberof')! }).filter(([name, values]) => values.length > 0 && (wanted.size === 0 || wanted.has('*') || wanted.has(name.toLowerCase()))),
        );
        response.send({ dn: entry.dn, attributes: sent });
      }
    } catch (error) {
      return next(error as Error);
    }
    response.end();
    return next();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const group = (groupDn: string): LdapEntry => {
    const entry = entries.get(normalize(groupDn));
    if (!entry) throw new Error(`no group ${groupDn} in the stand-in`);
    return entry;
  };
  return {
    url: `ldap://127.0.0.1:${server.address().port}`,
    get binds() {
      return binds;
    },
    get searches() {
      return searches;
    },
    addMember(groupDn, memberDn) {
      const entry = group(groupDn);
      entry.attributes.member = [...(entry.attributes.member ?? []), memberDn];
    },
    removeMember(groupDn, memberDn) {
      const entry = group(groupDn);
      entry.attributes.member = (entry.attributes.member ?? []).filter((member) => normalize(member) !== normalize(memberDn));
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

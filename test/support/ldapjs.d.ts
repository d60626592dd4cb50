// The parts of ldapjs 3 (no published types) that the LDAP stand-in uses: its server.
declare module 'ldapjs' {
  import type { Socket } from 'node:net';

  export interface LdapDn {
    toString(): string;
    equals(other: string | LdapDn): boolean;
  }

  export interface LdapFilter {
    readonly type: string;
    readonly attribute?: string;
    readonly value?: string | Buffer;
    readonly clauses?: LdapFilter[];
    readonly filter?: LdapFilter;
    toString(): string;
  }

  export interface LdapConnection extends Socket {
    ldap: { bindDN: LdapDn };
  }

  export interface BindRequest {
    dn: LdapDn;
    credentials: string;
    connection: LdapConnection;
  }

  export interface SearchRequest {
    dn: LdapDn;
    /** RFC 4511 numbers: 0 base object, 1 single level, 2 whole subtree. */
    scope: 0 | 1 | 2;
    filter: LdapFilter;
    attributes: string[];
    connection: LdapConnection;
  }

  export interface LdapResponse {
    end(status?: number): void;
  }

  export interface SearchResponse extends LdapResponse {
    attributes: string[];
    send(entry: { dn: string; attributes: Record<string, string[]> }, noFiltering?: boolean): void;
  }

  export type Next = (error?: Error) => void;

  export interface Server {
    bind(suffix: string, handler: (request: BindRequest, response: LdapResponse, next: Next) => void): void;
    search(suffix: string, handler: (request: SearchRequest, response: SearchResponse, next: Next) => void): void;
    listen(port: number, host: string, callback: () => void): void;
    address(): { port: number; address: string };
    close(callback?: () => void): void;
    on(event: 'error' | 'clientError', listener: (error: Error) => void): void;
  }

  export class LDAPError extends Error {
    constructor(message?: string);
  }
  export class InvalidCredentialsError extends LDAPError {}
  export class InsufficientAccessRightsError extends LDAPError {}
  export class NoSuchObjectError extends LDAPError {}
  export class UnwillingToPerformError extends LDAPError {}

  export function createServer(options?: { log?: unknown }): Server;

  const ldap: {
    createServer: typeof createServer;
    InvalidCredentialsError: typeof InvalidCredentialsError;
    InsufficientAccessRightsError: typeof InsufficientAccessRightsError;
    NoSuchObjectError: typeof NoSuchObjectError;
    UnwillingToPerformError: typeof UnwillingToPerformError;
  };
  export default ldap;
}

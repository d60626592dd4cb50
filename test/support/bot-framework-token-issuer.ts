/**
 * A local stand-in of the Bot Framework's token signing side, written from the documented
 * "Authenticate requests from the Bot Connector service to your bot" flow: the channel
 * signs a JWT (RS256) with `iss` `https://api.botframework.com`, `aud` the bot's app id and
 * a `serviceurl` claim equal to the activity's `serviceUrl`; the bot finds the signing key
 * by `kid` through the OpenID metadata document (`jwks_uri`), whose keys carry the channels
 * that endorse them (`endorsements`).
 *
 * It serves that metadata and key set on loopback and signs tokens with its own key, so
 * botbuilder's real JWT validation can be pointed here (`ToBotFromChannelOpenIdMetadataUrl`)
 * and exercised on valid and forged tokens without Microsoft's cloud.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const botFrameworkIssuer = 'https://api.botframework.com';

export interface TokenClaims {
  aud: string;
  serviceurl?: string;
  iss?: string;
  /** Seconds since the epoch; one hour from now by default. */
  exp?: number;
  nbf?: number;
}

export interface BotFrameworkTokenIssuer {
  /** URL of the OpenID metadata document. */
  openIdMetadataUrl: string;
  /** A token signed with the published key. */
  token(claims: TokenClaims): string;
  /** A token signed with a key the metadata does not publish, under the published key's id. */
  forgedToken(claims: TokenClaims): string;
  /** How many times the key set was fetched. */
  keyRequests: number;
  close(): Promise<void>;
}

function base64url(value: Buffer | string): string {
  return Buffer.from(value).toString('base64url');
}

function signedToken(privateKey: KeyObject, keyId: string, claims: TokenClaims): string {
  const now = Math.floor(Date.now() / 1000);
  const header = { alg: 'RS256', typ: 'JWT', kid: keyId, x5t: keyId };
  const payload = { iss: botFrameworkIssuer, nbf: now - 60, exp: now + 3600, ...claims };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  return `${signingInput}.${base64url(sign('RSA-SHA256', Buffer.from(signingInput), privateKey))}`;
}

export async function startBotFrameworkTokenIssuer(options: { endorsements?: string[] } = {}): Promise<BotFrameworkTokenIssuer> {
  const keyId = randomUUID();
  const published = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const unpublished = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = published.publicKey.export({ format: 'jwk' });
  let origin = '';

  const issuer: BotFrameworkTokenIssuer = {
    openIdMetadataUrl: '',
    token: (claims) => signedToken(published.privateKey, keyId, claims),
    forgedToken: (claims) => signedToken(unpublished.privateKey, keyId, claims),
    keyRequests: 0,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };

  const server = http.createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    if (request.url === '/v1/.well-known/openidconfiguration') {
      response.end(JSON.stringify({ issuer: botFrameworkIssuer, authorization_endpoint: `${origin}/v1/authorize`, jwks_uri: `${origin}/v1/.well-known/keys`, id_token_signing_alg_values_supported: ['RS256'], token_endpoint_auth_methods_supported: ['private_key_jwt'] }));
      return;
    }
    if (request.url === '/v1/.well-known/keys') {
      issuer.keyRequests += 1;
      response.end(JSON.stringify({ keys: [{ kty: 'RSA', use: 'sig', kid: keyId, x5t: keyId, n: jwk.n, e: jwk.e, endorsements: options.endorsements ?? ['msteams'] }] }));
      return;
    }
    response.statusCode = 404;
    response.end('{}');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  issuer.openIdMetadataUrl = `${origin}/v1/.well-known/openidconfiguration`;
  return issuer;
}

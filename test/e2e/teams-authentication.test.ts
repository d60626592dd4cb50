import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { once } from 'node:events';
import { ConfigurationServiceClientCredentialFactory } from 'botbuilder';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { teamsAuthentication } from '../../src/chat/teams/teams-authentication.js';
import { createTeamsSurface, type TeamsSurface } from '../../src/chat/teams/teams-surface.js';
import { teamsSchema } from '../../src/config/schema.js';
import type { Answer } from '../../src/core/answer.js';
import type { AnswerEngine, Question } from '../../src/core/answer-engine.js';
import { botAppId, personalMessage, postActivity, teamsUser } from '../support/bot-framework-activities.js';
import { startBotFrameworkConnectorStandIn, type BotFrameworkConnectorStandIn } from '../support/bot-framework-connector-stand-in.js';
import { startBotFrameworkTokenIssuer, type BotFrameworkTokenIssuer } from '../support/bot-framework-token-issuer.js';

/**
 * The endpoint with an app id configured: botbuilder's own JWT validation decides. A real
 * Microsoft token cannot be had here, so the tests point that validation at a local
 * stand-in of the Bot Framework's OpenID key set and sign tokens with its key; replies
 * carry a fixed test token instead of one fetched from Azure AD (token acquisition itself
 * is Microsoft's code and is not exercised). The requests without a token, or with a
 * token that is not a Bot Framework one, are rejected before any of that matters.
 */

const ann = teamsUser('ann', 'Ann Lee', '0a1b2c3d-0000-4000-8000-0000000000a1');
const tenantId = '72f988bf-0000-4000-8000-00000000c0de';
const environment = { DOCENT_TEAMS_APP_PASSWORD: 'not-a-real-secret' };
const config = teamsSchema.parse({ appId: botAppId, tenantId });

class CountingAnswerEngine implements AnswerEngine {
  readonly questions: Question[] = [];
  async ask(question: Question): Promise<Answer> {
    this.questions.push(question);
    return { question: question.text, notFound: false, text: 'Twenty-five days [1].', sentences: [], citations: [], generator: 'extractive', elapsedMs: 1 };
  }
}

/** Reply credentials that sign with a fixed token: the stand-in of Azure AD's client-credentials grant. */
class FixedTokenCredentialsFactory extends ConfigurationServiceClientCredentialFactory {
  override async createCredentials(): Promise<never> {
    return {
      async signRequest<T extends { headers: { set(name: string, value: string): void } }>(request: T): Promise<T> {
        request.headers.set('authorization', 'Bearer outbound-token-for-docent');
        return request;
      },
    } as never;
  }
}

describe('Teams endpoint with an app id', () => {
  let connector: BotFrameworkConnectorStandIn;
  let issuer: BotFrameworkTokenIssuer;
  const servers: http.Server[] = [];
  const surfaces: TeamsSurface[] = [];

  beforeAll(async () => {
    connector = await startBotFrameworkConnectorStandIn({ members: [{ ...ann, tenantId }] });
    issuer = await startBotFrameworkTokenIssuer();
    // CloudAdapter logs every rejected request with console.error; expected here.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
  });

  afterEach(async () => {
    await Promise.all(surfaces.splice(0).map((surface) => surface.close()));
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
    connector.requests.length = 0;
  });

  afterAll(async () => {
    vi.restoreAllMocks();
    await connector.close();
    await issuer.close();
  });

  async function serve(surface: TeamsSurface): Promise<string> {
    surfaces.push(surface);
    const server = http.createServer((request, response) => void surface.handleRequest(request, response));
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
  }

  it('rejects requests without a valid bearer token with 401, answering nothing', async () => {
    const engine = new CountingAnswerEngine();
    const surface = createTeamsSurface({ engine, config, environment });
    const endpoint = await serve(surface);
    const activity = personalMessage(connector.serviceUrl, ann, 'How many days of annual leave do I get?');

    expect((await postActivity(endpoint, activity)).status).toBe(401);
    expect((await postActivity(endpoint, activity, { authorization: 'Bearer not-a-jwt' })).status).toBe(401);
    expect((await postActivity(endpoint, activity, { authorization: 'Basic YWRtaW46YWRtaW4=' })).status).toBe(401);
    expect(engine.questions).toEqual([]);
    expect(connector.requests).toEqual([]);
    expect(surface.state()).toMatchObject({ ok: true, detail: expect.stringContaining('3 unauthenticated requests rejected') });
    expect(surface.state().detail).toContain(`app ${botAppId} (SingleTenant, tenant ${tenantId})`);
  });

  it('accepts only tokens signed with a published Bot Framework key, for this bot and this serviceUrl', async () => {
    const engine = new CountingAnswerEngine();
    const authentication = teamsAuthentication(config, environment, {
      settings: { ToBotFromChannelOpenIdMetadataUrl: issuer.openIdMetadataUrl },
      credentialsFactory: new FixedTokenCredentialsFactory({ MicrosoftAppId: botAppId, MicrosoftAppPassword: environment.DOCENT_TEAMS_APP_PASSWORD, MicrosoftAppType: 'SingleTenant', MicrosoftAppTenantId: tenantId }),
    });
    const surface = createTeamsSurface({ engine, config, environment, authentication });
    const endpoint = await serve(surface);
    const activity = personalMessage(connector.serviceUrl, ann, 'How many days of annual leave do I get?');
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    // Signed by a key the Bot Framework does not publish.
    expect((await postActivity(endpoint, activity, bearer(issuer.forgedToken({ aud: botAppId, serviceurl: connector.serviceUrl })))).status).toBe(401);
    // For another bot.
    expect((await postActivity(endpoint, activity, bearer(issuer.token({ aud: 'another-bot-app-id', serviceurl: connector.serviceUrl })))).status).toBe(401);
    // Replayed against another serviceUrl than the one it was issued for.
    expect((await postActivity(endpoint, activity, bearer(issuer.token({ aud: botAppId, serviceurl: 'https://smba.trafficmanager.net/emea/' })))).status).toBe(401);
    // Not from the Bot Framework at all.
    expect((await postActivity(endpoint, activity, bearer(issuer.token({ aud: botAppId, serviceurl: connector.serviceUrl, iss: 'https://sts.windows.net/attacker/' })))).status).toBe(401);
    // Expired.
    expect((await postActivity(endpoint, activity, bearer(issuer.token({ aud: botAppId, serviceurl: connector.serviceUrl, exp: Math.floor(Date.now() / 1000) - 3600 })))).status).toBe(401);
    expect(engine.questions).toEqual([]);
    expect(connector.requests).toEqual([]);

    const accepted = await postActivity(endpoint, activity, bearer(issuer.token({ aud: botAppId, serviceurl: connector.serviceUrl })));
    expect(accepted.status).toBe(200);
    await surface.settled();
    expect(engine.questions).toHaveLength(1);
    // Replies go out with the bot's own token, never the channel's.
    expect(connector.activities().map((request) => [request.body?.type, request.authorization])).toEqual([
      ['typing', 'Bearer outbound-token-for-docent'],
      ['message', 'Bearer outbound-token-for-docent'],
    ]);
  });

  it('refuses to start with an app id but no password, or without an app id outside local mode', () => {
    const engine = new CountingAnswerEngine();
    expect(() => createTeamsSurface({ engine, config, environment: {} })).toThrow(/DOCENT_TEAMS_APP_PASSWORD is not set/);
    expect(() => createTeamsSurface({ engine, config: teamsSchema.parse({}), environment })).toThrow(/Teams needs teams.appId/);
  });
});

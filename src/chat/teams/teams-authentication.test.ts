import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/load.js';
import { isLocalServiceUrl, teamsConfigured } from './teams-authentication.js';

describe('Teams settings', () => {
  it('reads the app id and tenant from DOCENT_TEAMS_* and never takes the password as a setting', () => {
    const config = loadConfig({ environment: { DOCENT_TEAMS_APP_ID: 'app', DOCENT_TEAMS_TENANT_ID: 'tenant', DOCENT_TEAMS_APP_PASSWORD: 'secret' } });
    expect(config.teams).toEqual({ appId: 'app', tenantId: 'tenant', appType: 'SingleTenant', path: '/api/messages', allowUnauthenticated: false });
    expect(teamsConfigured(config.teams)).toBe(true);
  });

  it('is off by default and refuses a single-tenant bot without a tenant', () => {
    expect(teamsConfigured(loadConfig({ environment: {} }).teams)).toBe(false);
    expect(() => loadConfig({ environment: { DOCENT_TEAMS_APP_ID: 'app' } })).toThrow(/teams\.tenantId: a SingleTenant bot needs tenantId/);
    expect(loadConfig({ environment: { DOCENT_TEAMS_APP_ID: 'app', DOCENT_TEAMS_APP_TYPE: 'MultiTenant' } }).teams.appType).toBe('MultiTenant');
  });
});

describe('isLocalServiceUrl', () => {
  it('accepts only loopback addresses', () => {
    expect(isLocalServiceUrl('http://127.0.0.1:3978/')).toBe(true);
    expect(isLocalServiceUrl('http://localhost:50000')).toBe(true);
    expect(isLocalServiceUrl('http://[::1]:8080/')).toBe(true);
    expect(isLocalServiceUrl('https://smba.trafficmanager.net/emea/')).toBe(false);
    expect(isLocalServiceUrl('http://127.0.0.1.attacker.example/')).toBe(false);
    expect(isLocalServiceUrl('not a url')).toBe(false);
    expect(isLocalServiceUrl(undefined)).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { authHeaders } from './auth-headers.js';

describe('authHeaders', () => {
  it('builds each scheme from the named environment variable', () => {
    expect(authHeaders(undefined, {})).toEqual({});
    expect(authHeaders({ scheme: 'bearer', tokenVariable: 'TOKEN' }, { TOKEN: 'abc' })).toEqual({ authorization: 'Bearer abc' });
    expect(authHeaders({ scheme: 'basic', credentialsVariable: 'CREDENTIALS' }, { CREDENTIALS: 'ann:pässword' })).toEqual({ authorization: `Basic ${Buffer.from('ann:pässword').toString('base64')}` });
    expect(authHeaders({ scheme: 'header', header: 'X-Api-Key', valueVariable: 'KEY' }, { KEY: 'k1' })).toEqual({ 'x-api-key': 'k1' });
  });

  it('names the missing variable, never a value', () => {
    expect(() => authHeaders({ scheme: 'bearer', tokenVariable: 'TOKEN' }, { OTHER: 'secret' })).toThrow(expect.objectContaining({ code: 'credentials_rejected', retryable: false, message: expect.stringContaining('TOKEN') }));
    expect(() => authHeaders({ scheme: 'bearer', tokenVariable: 'TOKEN' }, { TOKEN: '' })).toThrow(/TOKEN/);
  });
});

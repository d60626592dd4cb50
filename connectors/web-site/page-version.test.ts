import { describe, expect, it } from 'vitest';
import { accessFingerprint, pageVersion, validatorsOf } from './page-version.js';

const content = Buffer.from('<html>page</html>');
const everyone = accessFingerprint(['everyone']);

describe('page versions', () => {
  it('prefers the ETag, then Last-Modified, then a content hash, and folds the readers in', () => {
    const both = new Headers({ etag: 'W/"v1"', 'last-modified': 'Tue, 02 Jan 2024 10:00:00 GMT' });
    expect(pageVersion(both, content, everyone)).toBe(`etag:W/"v1";access=${everyone}`);
    expect(pageVersion(new Headers({ 'last-modified': 'Tue, 02 Jan 2024 10:00:00 GMT' }), content, everyone)).toBe(`modified:Tue, 02 Jan 2024 10:00:00 GMT;access=${everyone}`);
    const hashed = pageVersion(new Headers(), content, everyone);
    expect(hashed).toMatch(new RegExp(`^sha256:[0-9a-f]{32};access=${everyone}$`));
    expect(pageVersion(new Headers(), Buffer.from('<html>other</html>'), everyone)).not.toBe(hashed);
  });

  it('fingerprints readers regardless of order and repetition', () => {
    expect(accessFingerprint(['group:hr', 'user:ann'])).toBe(accessFingerprint(['user:ann', 'group:hr', 'user:ann']));
    expect(accessFingerprint(['group:hr'])).not.toBe(everyone);
  });

  it('gives validators back only for the same readers, and none for a content hash', () => {
    expect(validatorsOf(`etag:"abc";access=${everyone}`, everyone)).toEqual({ etag: '"abc"' });
    expect(validatorsOf(`modified:Tue, 02 Jan 2024 10:00:00 GMT;access=${everyone}`, everyone)).toEqual({ lastModified: 'Tue, 02 Jan 2024 10:00:00 GMT' });
    expect(validatorsOf(`etag:"abc";access=${everyone}`, accessFingerprint(['group:hr']))).toBeUndefined();
    expect(validatorsOf(`sha256:00ff;access=${everyone}`, everyone)).toBeUndefined();
  });
});

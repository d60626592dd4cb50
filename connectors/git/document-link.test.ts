import { describe, expect, it } from 'vitest';
import { documentLink } from './document-link.js';
import { parseRepositoryAddress, type RepositoryAddress } from './repository-address.js';

const address = parseRepositoryAddress('https://git.corp/team/hand book.git') as RepositoryAddress;
const parts = { branch: 'release/2024', commit: 'a'.repeat(40), path: 'docs/안내/휴가 정책.md' };

describe('documentLink', () => {
  it('fills the web template, encoding each path segment', () => {
    expect(documentLink('https://git.corp/{repo}/blob/{commit}/{path}', address, parts)).toBe(
      `https://git.corp/team/hand%20book/blob/${'a'.repeat(40)}/docs/${encodeURIComponent('안내')}/${encodeURIComponent('휴가 정책.md')}`,
    );
    expect(documentLink('https://git.corp/{repo}/src/branch/{branch}/{path}', address, parts)).toMatch(/\/src\/branch\/release\/2024\/docs\//);
  });

  it('falls back to the repository and the path', () => {
    expect(documentLink(undefined, address, parts)).toBe('https://git.corp/team/hand book.git#docs/안내/휴가 정책.md');
  });
});

import { describe, expect, it } from 'vitest';
import { PageReaders } from './page-readers.js';

describe('PageReaders', () => {
  it('gives a page the readers of the longest matching section, else the site', () => {
    const readers = new PageReaders(['everyone'], [
      { pathPrefix: '/hr/', access: ['group:hr'] },
      { pathPrefix: '/hr/payroll/', access: ['group:payroll', 'group:payroll'] },
    ]);
    expect(readers.of('https://h/handbook').principals).toEqual(['everyone']);
    expect(readers.of('https://h/hr/leave').principals).toEqual(['group:hr']);
    expect(readers.of('https://h/hr/payroll/2024?x=1').principals).toEqual(['group:payroll']);
    expect(readers.of('https://h/hr/leave').fingerprint).not.toBe(readers.of('https://h/handbook').fingerprint);
    expect(readers.of('https://h/a').fingerprint).toBe(readers.of('https://h/b').fingerprint);
  });
});

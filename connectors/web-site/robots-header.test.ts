import { describe, expect, it } from 'vitest';
import { robotsHeaderDirectives } from './robots-header.js';

describe('robotsHeaderDirectives', () => {
  const agent = 'DocentBot/0.1 (+https://intranet.example.com/docent)';

  it('reads directives for every crawler', () => {
    expect(robotsHeaderDirectives('noindex', agent)).toEqual({ noIndex: true, noFollow: false });
    expect(robotsHeaderDirectives('NoFollow', agent)).toEqual({ noIndex: false, noFollow: true });
    expect(robotsHeaderDirectives('none', agent)).toEqual({ noIndex: true, noFollow: true });
    expect(robotsHeaderDirectives('noarchive, max-snippet: 20, unavailable_after: 25 Jun 2030 15:00:00 GMT', agent)).toEqual({ noIndex: false, noFollow: false });
    expect(robotsHeaderDirectives(null, agent)).toEqual({ noIndex: false, noFollow: false });
  });

  it('applies directives for a named crawler only when it is this one', () => {
    expect(robotsHeaderDirectives('googlebot: noindex, nofollow', agent)).toEqual({ noIndex: false, noFollow: false });
    expect(robotsHeaderDirectives('docentbot: noindex, nofollow', agent)).toEqual({ noIndex: true, noFollow: true });
    expect(robotsHeaderDirectives('googlebot: nofollow, DocentBot: noindex', agent)).toEqual({ noIndex: true, noFollow: false });
  });
});

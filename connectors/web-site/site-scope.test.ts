import { describe, expect, it } from 'vitest';
import { SiteScope, type UrlRules } from './site-scope.js';

const rules: UrlRules = { trackingParameters: ['utm_*', 'gclid'], sortQueryParameters: true, trailingSlash: 'keep' };

describe('SiteScope.normalise', () => {
  const scope = new SiteScope('https://Intranet.Example.com', undefined, rules);

  it('lower-cases scheme and host, drops the default port, the fragment and credentials', () => {
    expect(scope.normalise('HTTPS://user:secret@INTRANET.example.COM:443/Docs/Leave#top')).toBe('https://intranet.example.com/Docs/Leave');
  });

  it('drops tracking parameters (exact and prefix) and sorts the rest', () => {
    expect(scope.normalise('https://intranet.example.com/a?utm_source=mail&b=2&UTM_Medium=x&gclid=1&a=1&a=0')).toBe('https://intranet.example.com/a?a=1&a=0&b=2');
  });

  it('drops an empty query', () => {
    expect(scope.normalise('https://intranet.example.com/a?')).toBe('https://intranet.example.com/a');
    expect(scope.normalise('https://intranet.example.com/a?utm_campaign=x')).toBe('https://intranet.example.com/a');
  });

  it('resolves relative links and dot segments against the base', () => {
    expect(scope.normalise('../policies/./travel.html?x=1#s', 'https://intranet.example.com/handbook/hr/leave.html')).toBe('https://intranet.example.com/handbook/policies/travel.html?x=1');
  });

  it('refuses what is not a web page address', () => {
    expect(scope.normalise('mailto:hr@example.com')).toBeUndefined();
    expect(scope.normalise('javascript:void(0)', 'https://intranet.example.com/')).toBeUndefined();
    expect(scope.normalise('http://[bad')).toBeUndefined();
  });

  it('resolves a URL to request as linked, less fragment and tracking; only identify sorts and applies slash rules', () => {
    const strip = new SiteScope('https://intranet.example.com', undefined, { ...rules, trailingSlash: 'strip' });
    const resolved = strip.resolve('/docs/?b=2&utm_source=x&a=%201#top', 'https://intranet.example.com/');
    expect(resolved).toBe('https://intranet.example.com/docs/?b=2&a=+1');
    expect(strip.identify(resolved!)).toBe('https://intranet.example.com/docs?a=+1&b=2');
    expect(strip.resolve('/docs/?b=2&a=%201')).toBeUndefined();
    expect(strip.resolve('https://intranet.example.com/docs/?b=2&a=%201')).toBe('https://intranet.example.com/docs/?b=2&a=%201');
  });

  it('keeps the query order when sorting is off', () => {
    const unsorted = new SiteScope('https://intranet.example.com', undefined, { ...rules, sortQueryParameters: false });
    expect(unsorted.normalise('https://intranet.example.com/a?b=2&a=1')).toBe('https://intranet.example.com/a?b=2&a=1');
  });

  it('applies the trailing slash rule, never to the root', () => {
    const strip = new SiteScope('https://intranet.example.com', undefined, { ...rules, trailingSlash: 'strip' });
    const add = new SiteScope('https://intranet.example.com', undefined, { ...rules, trailingSlash: 'add' });
    expect(scope.normalise('https://intranet.example.com/docs/')).toBe('https://intranet.example.com/docs/');
    expect(strip.normalise('https://intranet.example.com/docs/')).toBe('https://intranet.example.com/docs');
    expect(strip.normalise('https://intranet.example.com/')).toBe('https://intranet.example.com/');
    expect(add.normalise('https://intranet.example.com/docs')).toBe('https://intranet.example.com/docs/');
    expect(add.normalise('https://intranet.example.com')).toBe('https://intranet.example.com/');
  });
});

describe('SiteScope.contains', () => {
  const scope = new SiteScope('http://127.0.0.1:8080', '/handbook/', rules);

  it('holds the same origin under the path prefix only', () => {
    expect(scope.contains('http://127.0.0.1:8080/handbook/leave')).toBe(true);
    expect(scope.contains('http://127.0.0.1:8080/blog/post')).toBe(false);
    expect(scope.contains('http://127.0.0.1:8081/handbook/leave')).toBe(false);
    expect(scope.contains('https://127.0.0.1:8080/handbook/leave')).toBe(false);
    expect(scope.isSameSite('http://127.0.0.1:8080/blog/post')).toBe(true);
  });
});

/**
 * How long a server asked us to wait (RFC 9110 §10.2.3 `Retry-After`): delay-seconds or
 * an HTTP-date, relative to `now` (ms since the epoch). Undefined when the header is
 * absent or unreadable; a date in the past is no wait at all.
 */
export function retryAfterMilliseconds(value: string | null, now: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  // Only the HTTP-date forms carry a weekday or month name; a bare number in another shape is not a date.
  if (!Number.isFinite(date) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, date - now);
}

import { describeError } from '../core/errors.js';

/** A chat surface's log lines on the console, prefixed with the surface, details as compact JSON. */
export function consoleSurfaceLogger(surface: string): { info(details: object, message: string): void; warn(details: object, message: string): void; error(details: object, message: string): void } {
  const line = (details: object, message: string): string => {
    const shown = Object.fromEntries(Object.entries(details).map(([key, value]) => [key, value instanceof Error ? describeError(value) : value]));
    return `${surface}: ${message}${Object.keys(shown).length > 0 ? ` ${JSON.stringify(shown)}` : ''}`;
  };
  return {
    info: (details, message) => console.log(line(details, message)),
    warn: (details, message) => console.warn(line(details, message)),
    error: (details, message) => console.error(line(details, message)),
  };
}

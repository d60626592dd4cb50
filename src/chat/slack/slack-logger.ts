import { LogLevel, type Logger } from '@slack/bolt';

/**
 * Where the Slack surface reports what happened, as pino and the chat surfaces' console
 * logger (src/chat/console-surface-logger.ts) take it: details, then a message. Never
 * given a token or a question's text.
 */
export interface SlackSurfaceLogger {
  debug?(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

const severity: Record<LogLevel, number> = { [LogLevel.DEBUG]: 0, [LogLevel.INFO]: 1, [LogLevel.WARN]: 2, [LogLevel.ERROR]: 3 };

function describe(parts: unknown[]): string {
  return parts.map((part) => (part instanceof Error ? part.message : typeof part === 'string' ? part : JSON.stringify(part))).join(' ');
}

/**
 * Bolt's Logger interface over ours. Bolt and its Socket Mode client log every payload
 * (questions, e-mail addresses) at debug level, so that level is off unless asked for;
 * tokens are redacted by Bolt itself.
 */
export function boltLogger(logger: SlackSurfaceLogger, level: LogLevel = LogLevel.WARN): Logger {
  let current = level;
  const at = (messageLevel: LogLevel, write: ((details: object, message: string) => void) | undefined) => (...parts: unknown[]) => {
    if (write && severity[messageLevel] >= severity[current]) write({ from: 'bolt' }, describe(parts));
  };
  return {
    debug: at(LogLevel.DEBUG, logger.debug?.bind(logger)),
    info: at(LogLevel.INFO, logger.info.bind(logger)),
    warn: at(LogLevel.WARN, logger.warn.bind(logger)),
    error: at(LogLevel.ERROR, logger.error.bind(logger)),
    setLevel: (next: LogLevel) => {
      current = next;
    },
    getLevel: () => current,
    setName: () => undefined,
  };
}

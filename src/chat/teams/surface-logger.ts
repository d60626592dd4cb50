/**
 * Where the Teams surface reports what an operator should see. Pino's and Fastify's
 * loggers fit as they are (details object first, then the message).
 */
export interface SurfaceLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

export const silentLogger: SurfaceLogger = { info() {}, warn() {}, error() {} };

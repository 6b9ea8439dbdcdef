import pino, { Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; every line of a request carries its requestId and correlationId. */
export function createLogger(level: string, processName: string): Logger {
  return pino({
    level,
    base: { process: processName },
    redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}

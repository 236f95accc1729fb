import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Structured JSON-line logs. Secrets never reach the log: request headers are not serialised at
 * all by fastify's default serializers, and the redaction list catches the fields we know carry
 * credentials should anything log them by accident.
 */
export function createLogger(
  opts: { level?: string; name?: string; destination?: number | string } = {},
): Logger {
  const level = opts.level ?? process.env.STEWARD_LOG_LEVEL ?? 'info';
  return pino(
    {
      name: opts.name ?? 'steward',
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: {
        paths: [
          'token',
          'password',
          'secret',
          '*.token',
          '*.password',
          '*.secret',
          'req.headers.authorization',
          'req.headers.cookie',
          'headers.authorization',
        ],
        censor: '[redacted]',
      },
    },
    pino.destination({ dest: opts.destination ?? 1, sync: false }),
  );
}

/** A logger that drops everything, for tests and CLI commands that print their own output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

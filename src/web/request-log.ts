import type { FastifyReply, FastifyRequest } from 'fastify';

/** A request slower than this is worth a line at info even when it succeeded. */
export const SLOW_REQUEST_MS = 1000;

export type RequestLogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * How loud one finished request is: server errors at error; refusals (401 sign in, 403 role or
 * CSRF, 429 rate limit) at warn, as an operator reviewing access wants them; slow ones at info;
 * everything routine (a dashboard polling, a Grafana refresh, a 404) at debug. Pure.
 */
export function requestLogLevel(status: number, ms: number): RequestLogLevel {
  if (status >= 500) return 'error';
  if (status === 401 || status === 403 || status === 429) return 'warn';
  if (ms >= SLOW_REQUEST_MS) return 'info';
  return 'debug';
}

/** One line per finished request, at the level above (headers, cookies and bodies are never logged). */
export function logRequest(req: FastifyRequest, reply: FastifyReply): void {
  const ms = Math.round(reply.elapsedTime * 10) / 10;
  const level = requestLogLevel(reply.statusCode, ms);
  req.log[level](
    { method: req.method, url: req.url, status: reply.statusCode, ms, ip: req.ip },
    'request completed',
  );
}

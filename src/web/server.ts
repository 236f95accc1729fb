import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from '../log/index.ts';
import type { StoreStats } from '../store/types.ts';
import { registerApiAuth } from './auth.ts';
import { type HttpTelemetry, renderMetrics } from './prometheus-text.ts';
import { actionRoutes } from './routes/actions.ts';
import { adminRoutes } from './routes/admin.ts';
import type { ApiContext } from './routes/context.ts';
import { historyRoutes } from './routes/history.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { statusRoutes } from './routes/status.ts';
import type { TlsMaterial } from './tls.ts';

export interface ServerOptions extends ApiContext {
  logger: Logger;
  /** HTTPS when given (the default for `steward serve`); plain HTTP only for in-process tests of the API. */
  tls?: TlsMaterial;
  version: string;
}

export const OPENAPI_INFO = {
  title: 'Steward API',
  description:
    'Status, history, actions and metrics of a Steward deployment. Authenticate with "Authorization: Bearer <token>".',
};

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const httpTelemetry: HttpTelemetry = { requests: new Map(), refusedConnections: 0 };
  const app = Fastify({
    loggerInstance: opts.logger,
    bodyLimit: 8 * 1024 * 1024,
    ...(opts.tls
      ? {
          https: {
            cert: opts.tls.cert,
            key: opts.tls.key,
            minVersion: 'TLSv1.2' as const,
          },
        }
      : {}),
    ajv: {
      customOptions: {
        coerceTypes: 'array',
        removeAdditional: false,
        allErrors: true,
        allowUnionTypes: true,
      },
    },
  }) as unknown as FastifyInstance;

  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { ...OPENAPI_INFO, version: opts.version },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });

  app.addHook('onResponse', async (_req, reply) => {
    const code = `${Math.floor(reply.statusCode / 100)}xx`;
    httpTelemetry.requests.set(code, (httpTelemetry.requests.get(code) ?? 0) + 1);
  });
  if (opts.tls) {
    app.addHook('onSend', async (_req, reply) => {
      reply.header('strict-transport-security', 'max-age=31536000');
    });
  }
  registerApiAuth(app, opts.store);

  // Validation errors name the field and what was wrong, not only "Bad Request".
  app.setErrorHandler((err: { validation?: unknown; statusCode?: number; message: string }, req, reply) => {
    if (err.validation) {
      return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: err.message });
    }
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    return reply.code(status).send({
      statusCode: status,
      error: status >= 500 ? 'Internal Server Error' : 'Error',
      message: status >= 500 ? 'internal error (see the server log)' : err.message,
    });
  });

  let storeStats: { at: number; stats: StoreStats } | null = null;
  app.get('/healthz', { schema: { hide: true } }, async () => ({
    status: 'ok',
    deployment: opts.engine.deployment.name,
    lastReload: opts.engine.lastReload?.ok ?? true,
  }));
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    const now = Date.now();
    if (!storeStats || now - storeStats.at > 10_000) storeStats = { at: now, stats: opts.store.stats() };
    return reply
      .type('text/plain; version=0.0.4; charset=utf-8')
      .send(renderMetrics(opts.engine, storeStats.stats, httpTelemetry, opts.store.outboxStats()));
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const ctx: ApiContext = { engine: opts.engine, store: opts.store, reload: opts.reload };
  statusRoutes(app, ctx);
  historyRoutes(app, ctx);
  actionRoutes(app, ctx);
  metricsRoutes(app, ctx);
  adminRoutes(app, ctx);
  return app;
}

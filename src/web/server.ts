import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance, LogController } from 'fastify';
import { operatorNetworkFilter } from '../auth/index.ts';
import type { Logger } from '../log/index.ts';
import type { StoreStats } from '../store/types.ts';
import { dashboardPolicy } from './access/dashboard-policy.ts';
import { guardSockets } from './access/source-guard.ts';
import { apiAuditRoutes } from './audit/api-audit.ts';
import { AUDIT_INGEST_PATH, auditIngestRoutes } from './audit/audit-ingest.ts';
import { registerApiAuth } from './auth.ts';
import { registerDashboard } from './dashboard/index.ts';
import { type HttpTelemetry, renderMetrics } from './prometheus-text.ts';
import { prometheusRoutes } from './promql/index.ts';
import { logRequest } from './request-log.ts';
import { actionRoutes } from './routes/actions.ts';
import { adminRoutes } from './routes/admin.ts';
import type { ApiContext } from './routes/context.ts';
import { historyRoutes } from './routes/history.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { silenceRoutes } from './routes/silences.ts';
import { statusRoutes } from './routes/status.ts';
import { type SessionPolicy, Sessions } from './sessions/sessions.ts';
import type { TlsMaterial } from './tls.ts';
import { type LoginPolicy, LoginService } from './users/login.ts';

export interface ServerOptions extends ApiContext {
  logger: Logger;
  /** HTTPS when given (the default for `steward serve`); plain HTTP only for in-process tests of the API. */
  tls?: TlsMaterial;
  version: string;
  /** Reverse proxies (CIDRs) whose X-Forwarded-For is believed; the client it names must be an operator. */
  trustedProxies?: string[];
  /** Dashboard session and login limits; without them the spec's access.dashboard (defaults: 30 min idle, 12 h absolute; lock after 5 failures). */
  sessionPolicy?: SessionPolicy;
  loginPolicy?: LoginPolicy;
  /**
   * Networks (CIDRs) of audit reporters outside operatorNetworks, e.g. the bastion's subnet: let
   * through the socket guard, but only to POST their audit events (steward serve --audit-from).
   */
  auditReporters?: string[];
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
    // A dashboard polls the API: one line per request would drown the log. logRequest below
    // writes routine requests at debug and refusals, errors and slow requests higher.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 8 * 1024 * 1024,
    ...(opts.trustedProxies?.length ? { trustProxy: opts.trustedProxies } : {}),
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

  app.addHook('onResponse', async (req, reply) => {
    const code = `${Math.floor(reply.statusCode / 100)}xx`;
    httpTelemetry.requests.set(code, (httpTelemetry.requests.get(code) ?? 0) + 1);
    logRequest(req, reply);
  });
  if (opts.tls) {
    app.addHook('onSend', async (_req, reply) => {
      reply.header('strict-transport-security', 'max-age=31536000');
    });
  }
  // operatorNetworks: refused on the bare socket, before TLS; proxied clients checked per request.
  const refusedLogged = new Map<string, number>();
  const sources = guardSockets(app.server, {
    operatorNetworks: () => opts.engine.deployment.operatorNetworks,
    trustedProxies: [...(opts.trustedProxies ?? []), ...(opts.auditReporters ?? [])],
    onRefused: (source) => {
      httpTelemetry.refusedConnections++;
      const now = Date.now();
      // One log line per source a minute: a scan must not flood the log.
      if ((refusedLogged.get(source) ?? 0) > now - 60_000) return;
      if (refusedLogged.size > 10_000) refusedLogged.clear();
      refusedLogged.set(source, now);
      opts.logger.warn({ source }, 'connection refused before TLS: source is outside operatorNetworks');
    },
  });
  if (opts.trustedProxies?.length || opts.auditReporters?.length) {
    const reporters = operatorNetworkFilter(opts.auditReporters ?? []);
    app.addHook('onRequest', async (req, reply) => {
      if (sources.allows(req.ip)) return;
      if (reporters.allows(req.ip) && req.method === 'POST' && req.url.split('?', 1)[0] === AUDIT_INGEST_PATH)
        return;
      httpTelemetry.refusedConnections++;
      req.log.warn({ source: req.ip }, 'request refused: forwarded client is outside operatorNetworks');
      return reply
        .code(403)
        .send({ statusCode: 403, error: 'Forbidden', message: 'not from an operator network' });
    });
  }
  registerApiAuth(app, opts.store);
  apiAuditRoutes(app, opts.store);
  const auditIngest = auditIngestRoutes(app, opts.store);

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
      .send(
        renderMetrics(opts.engine, storeStats.stats, httpTelemetry, opts.store.outboxStats()) +
          auditIngest.metricsText(),
      );
  });
  app.get('/api/v1/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const ctx: ApiContext = { engine: opts.engine, store: opts.store, reload: opts.reload };
  statusRoutes(app, ctx);
  historyRoutes(app, ctx);
  actionRoutes(app, ctx);
  metricsRoutes(app, ctx);
  adminRoutes(app, ctx);
  silenceRoutes(app, ctx);
  await registerDashboard(app, {
    ...ctx,
    logger: opts.logger,
    // The spec's access.dashboard, read per request: a reload changes expiry and lockout at once.
    sessions: new Sessions(
      opts.store,
      opts.sessionPolicy ?? (() => dashboardPolicy(opts.engine.deployment.dashboard).session),
    ),
    login: new LoginService(
      opts.store,
      opts.loginPolicy ?? (() => dashboardPolicy(opts.engine.deployment.dashboard).login),
    ),
  });
  await prometheusRoutes(app, { store: opts.store, version: opts.version });
  return app;
}

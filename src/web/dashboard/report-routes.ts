import type { FastifyInstance } from 'fastify';
import { buildAvailabilityReport, type ReportObject, reportCsv, reportHtml } from '../reports/index.ts';
import { parseTimeParam } from '../time-param.ts';
import { type DashboardContext, requireSession, visibility } from './context.ts';

/** The objects of the running deployment, as reports name them. */
export function reportObjects(ctx: DashboardContext): ReportObject[] {
  return [...ctx.engine.objects()].map((o) => ({
    id: o.id,
    kind: o.kind,
    host: o.kind === 'host' ? o.name : o.host,
    name: o.name,
    environment: o.environment,
  }));
}

export function reportRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.get<{ Querystring: { environment?: string; from?: string; to?: string; format?: string } }>(
    '/ui/api/report',
    { schema: { hide: true } },
    async (req, reply) => {
      const s = requireSession(ctx, req, reply, 'api');
      if (!s) return reply;
      const env = req.query.environment ?? '';
      if (!visibility(s)(env)) {
        return reply
          .code(404)
          .send({ statusCode: 404, error: 'Not Found', message: `no environment "${env}" you may see` });
      }
      const now = Date.now();
      const from = parseTimeParam(req.query.from, now, now - 30 * 86_400_000);
      // A date alone as "to" means the end of that day.
      const toText =
        req.query.to && /^\d{4}-\d{2}-\d{2}$/.test(req.query.to)
          ? `${req.query.to}T23:59:59.999Z`
          : req.query.to;
      const to = parseTimeParam(toText, now, now);
      if (typeof from === 'object' || typeof to === 'object' || to <= from) {
        const message =
          typeof from === 'object'
            ? from.error
            : typeof to === 'object'
              ? to.error
              : '"to" must be after "from"';
        return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message });
      }
      const report = buildAvailabilityReport(ctx.store, reportObjects(ctx), env, from, Math.min(to, now));
      if (req.query.format === 'csv') {
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="availability-${env}.csv"`)
          .send(reportCsv(report));
      }
      if (req.query.format === 'html') return reply.type('text/html; charset=utf-8').send(reportHtml(report));
      return report;
    },
  );
}

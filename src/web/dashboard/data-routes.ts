import type { FastifyInstance } from 'fastify';
import { type CheckedModel, downtimeView, PERFDATA_SERIES } from '../../engine/index.ts';
import { seriesKey } from '../../store/index.ts';
import { audit, auditCsv, auditView } from '../audit/audit-log.ts';
import { objectView } from '../routes/context.ts';
import { isAdmin } from '../users/roles.ts';
import { type DashboardContext, notVisible, requireSession, visibility } from './context.ts';
import { buildOverview, objectRows } from './data.ts';

const HOUR = 3_600_000;

/** JSON the dashboard's scripts read, with the session cookie (not part of the public /api/v1). */
export function dataRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const hide = { schema: { hide: true } };
  // An object's perfdata series are named by its current perfdata labels: no need to list the
  // store's series (10,000 rows and more) on every page view.
  const perfdataSeriesOf = (obj: CheckedModel) => {
    const status = ctx.engine.status(obj.id);
    const host = obj.kind === 'host' ? obj.name : obj.host;
    const service = obj.kind === 'host' ? '' : obj.name;
    return (status?.perfdata ?? []).map((p) => {
      const labels = { environment: obj.environment, host, service, label: p.label };
      return {
        key: seriesKey({ name: PERFDATA_SERIES, labels }),
        name: PERFDATA_SERIES,
        labels,
        label: p.label,
        unit: p.uom ?? '',
      };
    });
  };

  app.get('/ui/api/overview', hide, async (req, reply) => {
    const s = requireSession(ctx, req, reply, 'api');
    if (!s) return reply;
    return buildOverview(ctx.engine, visibility(s));
  });

  app.get<{ Querystring: { kind?: string } }>('/ui/api/objects', hide, async (req, reply) => {
    const s = requireSession(ctx, req, reply, 'api');
    if (!s) return reply;
    const kind = req.query.kind === 'host' ? 'host' : 'service';
    return { kind, rows: objectRows(ctx.engine, kind, visibility(s)) };
  });

  app.get<{ Querystring: { id?: string } }>('/ui/api/object', hide, async (req, reply) => {
    const s = requireSession(ctx, req, reply, 'api');
    if (!s) return reply;
    const obj = ctx.engine.object(req.query.id ?? '');
    if (!obj || !visibility(s)(obj.environment))
      return notVisible(ctx, s, req, reply, obj, `no host or service "${req.query.id}" you may see`);
    const events = ctx.store
      .queryEvents({ objectId: obj.id, limit: 200 })
      .map((e) => ({ ...e, time: new Date(e.time).toISOString() }));
    const history = ctx.store
      .queryEvents({ objectId: obj.id, types: ['state'], from: Date.now() - 7 * 24 * HOUR, limit: 2000 })
      .map((e) => [e.time, e.state ?? 0, e.hard ? 1 : 0]);
    const comments = ctx.store
      .listComments({ objectId: obj.id })
      .map((c) => ({ ...c, time: new Date(c.time).toISOString() }));
    const downtimes = ctx.store.listDowntimes({ objectId: obj.id }).map(downtimeView);
    const series = perfdataSeriesOf(obj).map((x) => ({ key: x.key, label: x.label, unit: x.unit }));
    const services =
      obj.kind === 'host'
        ? [...ctx.engine.objects()]
            .filter((o) => o.kind === 'service' && o.host === obj.name)
            .map((o) => {
              const st = ctx.engine.status(o.id)!;
              return { id: o.id, name: o.name, state: st.state, output: st.output.slice(0, 160) };
            })
        : [];
    return {
      kind: obj.kind,
      view: objectView(ctx.engine, obj),
      events,
      history,
      comments,
      downtimes,
      series,
      services,
    };
  });

  app.get<{
    Querystring: {
      format?: string;
      limit?: number;
      action?: string;
      outcome?: 'ok' | 'refused';
      source?: string;
    };
  }>('/ui/api/audit', hide, async (req, reply) => {
    const s = requireSession(ctx, req, reply, 'api');
    if (!s) return reply;
    if (!isAdmin(s.user.roles)) {
      audit(ctx.store, {
        actor: s.user.name,
        action: 'audit_view',
        target: '',
        outcome: 'refused',
        ip: req.ip,
        details: { reason: 'not admin' },
      });
      return reply.code(403).send({
        statusCode: 403,
        error: 'Forbidden',
        message: 'the audit log is for admins (role admin for *)',
      });
    }
    const entries = ctx.store.queryAudit({
      limit: Number(req.query.limit) || 1000,
      action: req.query.action || undefined,
      outcome: req.query.outcome || undefined,
      source: req.query.source || undefined,
    });
    if (req.query.format === 'csv') {
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="steward-audit.csv"')
        .send(auditCsv(entries));
    }
    return { entries: entries.map(auditView), sources: ctx.store.auditSources() };
  });
}

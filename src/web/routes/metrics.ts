import type { FastifyInstance } from 'fastify';
import { PERFDATA_SERIES } from '../../engine/index.ts';
import { parseTimeParam } from '../time-param.ts';
import type { ApiContext } from './context.ts';
import { errorSchema } from './schemas.ts';

interface RangeQuery {
  series?: string;
  host?: string;
  service?: string;
  label?: string;
  from?: string;
  to?: string;
  step?: number;
}

const seriesSchema = {
  type: 'object',
  properties: {
    key: { type: 'string' },
    name: { type: 'string' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    unit: { type: 'string' },
    first: { type: ['string', 'null'] },
    last: { type: ['string', 'null'] },
  },
} as const;

export function metricsRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { store } = ctx;

  app.get<{ Querystring: { host?: string; service?: string; name?: string } }>(
    '/api/v1/metrics/series',
    {
      schema: {
        summary: 'Metric series stored (perfdata of every check, and more)',
        tags: ['metrics'],
        querystring: {
          type: 'object',
          properties: { host: { type: 'string' }, service: { type: 'string' }, name: { type: 'string' } },
        },
        response: { 200: { type: 'object', properties: { series: { type: 'array', items: seriesSchema } } } },
      },
    },
    async (req) => {
      const labels: Record<string, string> = {};
      if (req.query.host) labels.host = req.query.host;
      if (req.query.service) labels.service = req.query.service;
      const series = store.listSeries({ name: req.query.name, labels }).map((s) => ({
        key: s.key,
        name: s.name,
        labels: s.labels,
        unit: s.unit ?? '',
        first: s.firstT === null ? null : new Date(s.firstT).toISOString(),
        last: s.lastT === null ? null : new Date(s.lastT).toISOString(),
      }));
      return { series };
    },
  );

  app.get<{ Querystring: RangeQuery }>(
    '/api/v1/metrics',
    {
      schema: {
        summary: "A series' points over a time range at a step, served from the right rollup (raw, 5m, 1h)",
        description:
          'Name the series by its key (series=perfdata{...}) or by host + service + label (a perfdata label). Points are [time ms, avg, min, max].',
        tags: ['metrics'],
        querystring: {
          type: 'object',
          properties: {
            series: { type: 'string' },
            host: { type: 'string' },
            service: { type: 'string' },
            label: { type: 'string', description: 'perfdata label, e.g. time' },
            from: { type: 'string', description: 'default -1h' },
            to: { type: 'string', description: 'default now' },
            step: { type: 'integer', minimum: 1, description: 'seconds between points; default range/300' },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              key: { type: 'string' },
              resolution: { type: 'string', enum: ['raw', '5m', '1h'] },
              step: { type: 'integer' },
              from: { type: 'string' },
              to: { type: 'string' },
              points: { type: 'array', items: { type: 'array', items: { type: 'number' } } },
            },
          },
          400: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const now = Date.now();
      const from = parseTimeParam(q.from, now, now - 3_600_000);
      const to = parseTimeParam(q.to, now, now);
      if (typeof from === 'object' || typeof to === 'object') {
        const message = typeof from === 'object' ? from.error : (to as { error: string }).error;
        return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message });
      }
      if (to <= from)
        return reply
          .code(400)
          .send({ statusCode: 400, error: 'Bad Request', message: '"to" must be after "from"' });
      let series: string | { name: string; labels: Record<string, string> };
      if (q.series) series = q.series;
      else if (q.host && q.label) {
        const env = ctx.engine.object(q.host)?.environment;
        if (!env)
          return reply
            .code(404)
            .send({ statusCode: 404, error: 'Not Found', message: `no host "${q.host}"` });
        series = {
          name: PERFDATA_SERIES,
          labels: { environment: env, host: q.host, service: q.service ?? '', label: q.label },
        };
      } else {
        return reply.code(400).send({
          statusCode: 400,
          error: 'Bad Request',
          message:
            'name the series: series=<key> or host=&service=&label= (GET /api/v1/metrics/series lists them)',
        });
      }
      const stepMs = q.step ? q.step * 1000 : Math.max(1000, Math.ceil((to - from) / 300));
      const r = store.queryRange({ series, from, to, stepMs });
      if (!r)
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: 'no such series; GET /api/v1/metrics/series lists them',
        });
      return {
        key: r.key,
        resolution: r.resolution,
        step: Math.round(r.stepMs / 1000),
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        points: r.points.map((p) => [p.t, p.avg, p.min, p.max]),
      };
    },
  );
}

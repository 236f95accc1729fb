import type { FastifyInstance } from 'fastify';
import { type MonitoringEvent, stateName } from '../../core/index.ts';
import { parseTimeParam } from '../time-param.ts';
import type { ApiContext } from './context.ts';
import { errorSchema, eventSchema } from './schemas.ts';

export function eventView(e: MonitoringEvent) {
  return {
    ...e,
    time: new Date(e.time).toISOString(),
    state: e.state === undefined ? undefined : stateName(e.kind, e.state),
    previousState: e.previousState === undefined ? undefined : stateName(e.kind, e.previousState),
  };
}

interface EventsQuery {
  host?: string;
  service?: string;
  environment?: string;
  type?: string;
  hard?: boolean;
  from?: string;
  to?: string;
  before?: number;
  limit?: number;
}

export function historyRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: EventsQuery }>(
    '/api/v1/events',
    {
      schema: {
        summary:
          'History: state changes (SOFT and HARD), flapping, downtimes, acknowledgements, comments; newest first',
        tags: ['history'],
        querystring: {
          type: 'object',
          properties: {
            host: { type: 'string' },
            service: { type: 'string' },
            environment: { type: 'string' },
            type: { type: 'string', description: 'comma-separated event types, e.g. state,flapping_start' },
            hard: { type: 'boolean', description: 'only HARD state changes' },
            from: { type: 'string', description: 'ISO time, epoch, or relative like -24h' },
            to: { type: 'string' },
            before: { type: 'integer', description: 'page backwards: events with id below this' },
            limit: { type: 'integer', minimum: 1, maximum: 10000, default: 500 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              events: { type: 'array', items: eventSchema },
              next: { type: ['integer', 'null'] },
            },
          },
          400: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const now = Date.now();
      const from = parseTimeParam(q.from, now, 0);
      const to = parseTimeParam(q.to, now, Number.MAX_SAFE_INTEGER);
      for (const t of [from, to]) {
        if (typeof t === 'object')
          return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: t.error });
      }
      const limit = q.limit ?? 500;
      const events = ctx.store.queryEvents({
        host: q.host,
        service: q.service,
        environment: q.environment,
        types: q.type ? (q.type.split(',') as MonitoringEvent['type'][]) : undefined,
        hardOnly: q.hard,
        from: from as number,
        to: to as number,
        beforeId: q.before,
        limit,
      });
      const last = events[events.length - 1];
      return { events: events.map(eventView), next: events.length === limit && last?.id ? last.id : null };
    },
  );
}

import type { FastifyInstance } from 'fastify';
import { type CheckResult, parseDuration, parseHostState, parseServiceState } from '../../core/index.ts';
import { downtimeView } from '../../engine/index.ts';
import { parsePluginOutput } from '../../probes/index.ts';
import { parseTimeParam } from '../time-param.ts';
import { type ApiContext, actor, findTarget, objectView } from './context.ts';
import { commentSchema, downtimeSchema, errorSchema, serviceSchema, targetProperties } from './schemas.ts';

const bad = (message: string) => ({ statusCode: 400, error: 'Bad Request', message });

interface ResultBody {
  host: string;
  service?: string;
  state: string | number;
  output: string;
  longOutput?: string;
  perfdata?: string;
}

const resultSchema = {
  type: 'object',
  required: ['host', 'state', 'output'],
  additionalProperties: false,
  properties: {
    ...targetProperties,
    state: {
      type: ['string', 'integer'],
      description:
        'OK/WARNING/CRITICAL/UNKNOWN or 0-3 for services; UP/DOWN/UNREACHABLE (or plugin codes 0-3) for hosts',
    },
    output: { type: 'string', description: 'plugin output; text after "|" is perfdata, as from a plugin' },
    longOutput: { type: 'string' },
    perfdata: {
      type: 'string',
      description: "perfdata in plugin syntax: 'label'=value[UOM];warn;crit;min;max ...",
    },
  },
} as const;

export function actionRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { engine, store } = ctx;

  app.post<{ Body: ResultBody | ResultBody[] }>(
    '/api/v1/results',
    {
      schema: {
        summary: 'Submit passive check results (one or a list), as Nagios passive checks',
        tags: ['actions'],
        body: { oneOf: [resultSchema, { type: 'array', items: resultSchema, maxItems: 10000 }] },
        response: {
          202: { type: 'object', properties: { accepted: { type: 'integer' } } },
          400: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const items = Array.isArray(req.body) ? req.body : [req.body];
      const prepared: { id: string; result: CheckResult }[] = [];
      for (const [i, r] of items.entries()) {
        const where = items.length > 1 ? `item ${i}: ` : '';
        const obj = findTarget(ctx, reply, r.host, r.service);
        if (!obj) return reply;
        let code: number | null;
        if (obj.kind === 'host') {
          const hs = parseHostState(r.state);
          // Host states become plugin codes the host state machine maps back: UP → 0, else CRITICAL.
          code = hs === null ? parseServiceState(r.state) : hs === 0 ? 0 : 2;
        } else {
          code = parseServiceState(r.state);
        }
        if (code === null) {
          return reply
            .code(400)
            .send(
              bad(
                `${where}state "${r.state}" is not a state: use OK, WARNING, CRITICAL, UNKNOWN (0-3)${obj.kind === 'host' ? ', or UP, DOWN, UNREACHABLE' : ''}`,
              ),
            );
        }
        const text = [r.perfdata ? `${r.output}|${r.perfdata}` : r.output, r.longOutput ?? ''].join('\n');
        const parsed = parsePluginOutput(text);
        const now = Date.now();
        prepared.push({
          id: obj.id,
          result: { state: code, ...parsed, startedAt: now, finishedAt: now, passive: true },
        });
      }
      for (const p of prepared) engine.submitResult(p.id, p.result);
      engine.flush();
      return reply.code(202).send({ accepted: prepared.length });
    },
  );

  app.post<{ Body: { host: string; service?: string } }>(
    '/api/v1/recheck',
    {
      schema: {
        summary: 'Run a check now, out of schedule',
        tags: ['actions'],
        body: {
          type: 'object',
          required: ['host'],
          additionalProperties: false,
          properties: targetProperties,
        },
        response: {
          202: { type: 'object', properties: { scheduled: { type: 'string' } } },
          400: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const obj = findTarget(ctx, reply, req.body.host, req.body.service);
      if (!obj) return reply;
      if (!engine.recheck(obj.id)) {
        return reply
          .code(400)
          .send(bad(`"${obj.id}" has no active check to run (passive, or a host without hostCheck)`));
      }
      return reply.code(202).send({ scheduled: obj.id });
    },
  );

  // ---- acknowledgements ----
  app.get(
    '/api/v1/acknowledgements',
    {
      schema: {
        summary: 'Acknowledged problems',
        tags: ['actions'],
        response: {
          200: {
            type: 'object',
            properties: {
              acknowledgements: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    objectId: { type: 'string' },
                    host: { type: 'string' },
                    service: { type: ['string', 'null'] },
                    type: { type: 'string' },
                    author: { type: 'string' },
                    comment: { type: 'string' },
                    time: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    },
    async () => {
      const acknowledgements = [];
      for (const o of engine.objects()) {
        const a = engine.status(o.id)?.acknowledgement;
        if (!a) continue;
        acknowledgements.push({
          objectId: o.id,
          host: o.kind === 'host' ? o.name : o.host,
          service: o.kind === 'host' ? null : o.name,
          type: a.type,
          author: a.author,
          comment: a.comment,
          time: new Date(a.time).toISOString(),
        });
      }
      return { acknowledgements };
    },
  );

  app.post<{ Body: { host: string; service?: string; comment: string; sticky?: boolean; author?: string } }>(
    '/api/v1/acknowledgements',
    {
      schema: {
        summary: 'Acknowledge a problem (normal: removed on any state change; sticky: removed on recovery)',
        tags: ['actions'],
        body: {
          type: 'object',
          required: ['host', 'comment'],
          additionalProperties: false,
          properties: {
            ...targetProperties,
            comment: { type: 'string', minLength: 1 },
            sticky: { type: 'boolean', default: false },
            author: { type: 'string' },
          },
        },
        response: {
          201: { description: 'the acknowledged host or service', ...serviceSchema },
          404: errorSchema,
          409: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const obj = findTarget(ctx, reply, req.body.host, req.body.service);
      if (!obj) return reply;
      const r = engine.acknowledge(obj.id, {
        type: req.body.sticky ? 'sticky' : 'normal',
        author: req.body.author ?? actor(req),
        comment: req.body.comment,
      });
      if (!r.ok) return reply.code(409).send({ statusCode: 409, error: 'Conflict', message: r.error });
      return reply.code(201).send(objectView(engine, obj));
    },
  );

  app.delete<{ Querystring: { host: string; service?: string } }>(
    '/api/v1/acknowledgements',
    {
      schema: {
        summary: 'Remove an acknowledgement',
        tags: ['actions'],
        querystring: { type: 'object', required: ['host'], properties: targetProperties },
        response: { 200: { type: 'object', properties: { removed: { type: 'boolean' } } }, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const obj = findTarget(ctx, reply, req.query.host, req.query.service);
      if (!obj) return reply;
      return { removed: engine.unacknowledge(obj.id, actor(req)) };
    },
  );

  // ---- downtimes ----
  app.get<{ Querystring: { host?: string; service?: string; all?: boolean } }>(
    '/api/v1/downtimes',
    {
      schema: {
        summary: 'Scheduled and active downtimes (all=true includes ended ones)',
        tags: ['actions'],
        querystring: {
          type: 'object',
          properties: { host: { type: 'string' }, service: { type: 'string' }, all: { type: 'boolean' } },
        },
        response: {
          200: { type: 'object', properties: { downtimes: { type: 'array', items: downtimeSchema } } },
        },
      },
    },
    async (req) => {
      const q = req.query;
      const objectId = q.host ? (q.service ? `${q.host}/${q.service}` : q.host) : undefined;
      return { downtimes: store.listDowntimes({ objectId, includeEnded: q.all ?? false }).map(downtimeView) };
    },
  );

  app.post<{
    Body: {
      host: string;
      service?: string;
      start?: string;
      end?: string;
      duration?: string;
      fixed?: boolean;
      includeServices?: boolean;
      comment: string;
      author?: string;
    };
  }>(
    '/api/v1/downtimes',
    {
      schema: {
        summary:
          'Schedule downtime: fixed (start to end) or flexible (starts on a problem inside the window, lasts duration)',
        tags: ['actions'],
        body: {
          type: 'object',
          required: ['host', 'comment'],
          additionalProperties: false,
          properties: {
            ...targetProperties,
            start: { type: 'string', description: 'default now; ISO time, epoch, or relative' },
            end: { type: 'string', description: 'default start + duration' },
            duration: { type: 'string', description: 'e.g. 2h; required for flexible downtimes' },
            fixed: { type: 'boolean', default: true },
            includeServices: {
              type: 'boolean',
              default: false,
              description: 'host downtime also covers its services',
            },
            comment: { type: 'string', minLength: 1 },
            author: { type: 'string' },
          },
        },
        response: {
          201: { type: 'object', properties: { downtimes: { type: 'array', items: downtimeSchema } } },
          400: errorSchema,
          404: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const obj = findTarget(ctx, reply, b.host, b.service);
      if (!obj) return reply;
      const now = Date.now();
      const durationMs = b.duration === undefined ? null : parseDuration(b.duration);
      if (b.duration !== undefined && durationMs === null) {
        return reply
          .code(400)
          .send(bad(`duration "${b.duration}" is not a duration: write e.g. 30m, 2h, 1d`));
      }
      const start = parseTimeParam(b.start, now, now);
      if (typeof start === 'object') return reply.code(400).send(bad(`start: ${start.error}`));
      const end = parseTimeParam(b.end, now, durationMs === null ? Number.NaN : start + durationMs);
      if (typeof end === 'object') return reply.code(400).send(bad(`end: ${end.error}`));
      if (Number.isNaN(end))
        return reply.code(400).send(bad('give "end" or "duration" (e.g. "duration": "2h")'));
      if (end <= start) return reply.code(400).send(bad('end must be after start'));
      const fixed = b.fixed ?? true;
      if (!fixed && durationMs === null)
        return reply.code(400).send(bad('a flexible downtime needs "duration"'));
      const targets = [obj.id];
      if (obj.kind === 'host' && b.includeServices) {
        for (const o of engine.objects()) if (o.kind === 'service' && o.host === obj.name) targets.push(o.id);
      }
      const created = targets.map((objectId) =>
        engine.scheduleDowntime({
          objectId,
          includeServices: false,
          start,
          end,
          fixed,
          durationMs: durationMs ?? end - start,
          author: b.author ?? actor(req),
          comment: b.comment,
        }),
      );
      return reply.code(201).send({ downtimes: created.map(downtimeView) });
    },
  );

  app.delete<{ Params: { id: number } }>(
    '/api/v1/downtimes/:id',
    {
      schema: {
        summary: 'Cancel a downtime',
        tags: ['actions'],
        params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
        response: { 200: downtimeSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const d = engine.cancelDowntime(req.params.id, actor(req));
      if (!d) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `no pending or active downtime ${req.params.id}; GET /api/v1/downtimes lists them`,
        });
      }
      return downtimeView(d);
    },
  );

  // ---- comments ----
  app.get<{ Querystring: { host?: string; service?: string } }>(
    '/api/v1/comments',
    {
      schema: {
        summary: 'Comments on hosts and services',
        tags: ['actions'],
        querystring: {
          type: 'object',
          properties: { host: { type: 'string' }, service: { type: 'string' } },
        },
        response: {
          200: { type: 'object', properties: { comments: { type: 'array', items: commentSchema } } },
        },
      },
    },
    async (req) => {
      const q = req.query;
      const objectId = q.host ? (q.service ? `${q.host}/${q.service}` : q.host) : undefined;
      return {
        comments: store
          .listComments({ objectId })
          .map((c) => ({ ...c, time: new Date(c.time).toISOString() })),
      };
    },
  );

  app.post<{ Body: { host: string; service?: string; text: string; author?: string } }>(
    '/api/v1/comments',
    {
      schema: {
        summary: 'Add a comment',
        tags: ['actions'],
        body: {
          type: 'object',
          required: ['host', 'text'],
          additionalProperties: false,
          properties: {
            ...targetProperties,
            text: { type: 'string', minLength: 1 },
            author: { type: 'string' },
          },
        },
        response: { 201: commentSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const obj = findTarget(ctx, reply, req.body.host, req.body.service);
      if (!obj) return reply;
      const c = engine.addComment(obj.id, req.body.author ?? actor(req), req.body.text);
      return reply.code(201).send({ ...c, time: new Date(c.time).toISOString() });
    },
  );

  app.delete<{ Params: { id: number } }>(
    '/api/v1/comments/:id',
    {
      schema: {
        summary: 'Delete a comment',
        tags: ['actions'],
        params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
        response: { 200: { type: 'object', properties: { deleted: { type: 'boolean' } } }, 404: errorSchema },
      },
    },
    async (req, reply) => {
      if (!store.deleteComment(req.params.id)) {
        return reply
          .code(404)
          .send({ statusCode: 404, error: 'Not Found', message: `no comment ${req.params.id}` });
      }
      return { deleted: true };
    },
  );
}

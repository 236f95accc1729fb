import type { FastifyInstance } from 'fastify';
import { checkSilence } from '../../alerting/silence-input.ts';
import { parseDuration } from '../../core/duration.ts';
import type { Silence } from '../../store/types.ts';
import { type ApiContext, actor } from './context.ts';
import { errorSchema } from './schemas.ts';

const silenceSchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    matchers: { type: 'object', additionalProperties: { type: 'string' } },
    startsAt: { type: 'string', format: 'date-time' },
    endsAt: { type: 'string', format: 'date-time' },
    author: { type: 'string' },
    comment: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
    active: { type: 'boolean' },
  },
} as const;

function view(s: Silence, now: number) {
  return {
    id: s.id,
    matchers: s.matchers,
    startsAt: new Date(s.startsAt).toISOString(),
    endsAt: new Date(s.endsAt).toISOString(),
    author: s.author,
    comment: s.comment,
    createdAt: new Date(s.createdAt).toISOString(),
    active: s.startsAt <= now && now < s.endsAt,
  };
}

interface SilenceBody {
  matchers: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  duration?: string;
  comment?: string;
  author?: string;
}

/** Silences: mute alerts matching labels until they expire (the dispatcher re-reads them every second). */
export function silenceRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.get<{ Querystring: { all?: boolean } }>(
    '/api/v1/silences',
    {
      schema: {
        summary: 'List silences: active and future ones, or all with ?all=true',
        tags: ['alerting'],
        querystring: { type: 'object', properties: { all: { type: 'boolean' } } },
        response: { 200: { type: 'array', items: silenceSchema } },
      },
    },
    async (req) => {
      const now = Date.now();
      const list = req.query.all ? ctx.store.listSilences() : ctx.store.listSilences({ activeAt: now });
      return list.map((s) => view(s, now));
    },
  );

  app.post<{ Body: SilenceBody }>(
    '/api/v1/silences',
    {
      schema: {
        summary: 'Add a silence (matchers: label → value or ~regex; endsAt or duration such as 2h)',
        tags: ['alerting'],
        body: {
          type: 'object',
          required: ['matchers'],
          additionalProperties: false,
          properties: {
            matchers: { type: 'object', additionalProperties: { type: 'string' } },
            startsAt: { type: 'string', format: 'date-time' },
            endsAt: { type: 'string', format: 'date-time' },
            duration: { type: 'string', description: 'e.g. 30m, 2h (instead of endsAt)' },
            comment: { type: 'string' },
            author: { type: 'string', description: 'default: the token name' },
          },
        },
        response: { 201: silenceSchema, 400: errorSchema },
      },
    },
    async (req, reply) => {
      const now = Date.now();
      const b = req.body;
      const startsAt = b.startsAt ? Date.parse(b.startsAt) : now;
      const durationMs = b.duration === undefined ? null : parseDuration(b.duration);
      const endsAt = b.endsAt
        ? Date.parse(b.endsAt)
        : durationMs === null
          ? Number.NaN
          : startsAt + durationMs;
      const bad = (message: string) =>
        reply.code(400).send({ statusCode: 400, error: 'Bad Request', message });
      if (b.duration !== undefined && durationMs === null)
        return bad(`duration "${b.duration}" is not a duration (e.g. 30m, 2h)`);
      if (Number.isNaN(endsAt)) return bad('give endsAt (ISO time) or duration (e.g. 2h)');
      const checked = checkSilence(
        { matchers: b.matchers, startsAt, endsAt, author: b.author ?? actor(req), comment: b.comment ?? '' },
        now,
      );
      if ('error' in checked) return bad(checked.error);
      const s = ctx.store.addSilence(checked.silence);
      return reply.code(201).send(view(s, now));
    },
  );

  app.delete<{ Params: { id: number } }>(
    '/api/v1/silences/:id',
    {
      schema: {
        summary: 'Expire a silence now',
        tags: ['alerting'],
        params: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] },
        response: { 200: silenceSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const now = Date.now();
      const s = ctx.store.expireSilence(req.params.id, now);
      if (!s) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: `no silence #${req.params.id}; GET /api/v1/silences?all=true lists them`,
        });
      }
      return view(s, now);
    },
  );
}

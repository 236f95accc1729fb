import type { FastifyInstance } from 'fastify';
import { type ObjectStatus, SERVICE_STATE_NAMES } from '../../core/index.ts';
import { hostView, type ServiceView, serviceView } from '../../engine/index.ts';
import type { ApiContext } from './context.ts';
import { findTarget } from './context.ts';
import { errorSchema, hostSchema, serviceSchema } from './schemas.ts';

const listQuery = {
  type: 'object',
  properties: {
    environment: { type: 'string' },
    host: { type: 'string' },
    state: { type: 'string', description: 'comma-separated state names, e.g. WARNING,CRITICAL' },
    problems: { type: 'boolean', description: 'only non-OK objects' },
    hard: { type: 'boolean', description: 'only HARD states' },
    unhandled: { type: 'boolean', description: 'only problems neither acknowledged nor in downtime' },
    q: { type: 'string', description: 'substring of host, service or output' },
  },
} as const;

interface ListQuery {
  environment?: string;
  host?: string;
  state?: string;
  problems?: boolean;
  hard?: boolean;
  unhandled?: boolean;
  q?: string;
}

function keep(
  v: {
    environment: string;
    state: string;
    stateCode: number;
    stateType: string;
    acknowledged: boolean;
    inDowntime: boolean;
  },
  q: ListQuery,
  text: string,
): boolean {
  if (q.environment && v.environment !== q.environment) return false;
  if (q.state) {
    const wanted = q.state.toUpperCase().split(',');
    if (!wanted.includes(v.state)) return false;
  }
  if (q.problems && v.stateCode === 0) return false;
  if (q.hard && v.stateType !== 'HARD') return false;
  if (q.unhandled && (v.stateCode === 0 || v.acknowledged || v.inDowntime)) return false;
  if (q.q && !text.toLowerCase().includes(q.q.toLowerCase())) return false;
  return true;
}

export function statusRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const { engine } = ctx;

  const servicesOf = (host: string): ObjectStatus[] => {
    const out: ObjectStatus[] = [];
    for (const o of engine.objects()) {
      if (o.kind === 'service' && o.host === host) {
        const s = engine.status(o.id);
        if (s) out.push(s);
      }
    }
    return out;
  };

  app.get<{ Querystring: ListQuery }>(
    '/api/v1/hosts',
    {
      schema: {
        summary: 'Hosts with their current state',
        tags: ['status'],
        querystring: listQuery,
        response: { 200: { type: 'object', properties: { hosts: { type: 'array', items: hostSchema } } } },
      },
    },
    async (req) => {
      const hosts = [];
      for (const o of engine.objects()) {
        if (o.kind !== 'host') continue;
        const s = engine.status(o.id);
        if (!s) continue;
        const v = hostView(o, s, servicesOf(o.name));
        if (keep(v, req.query, `${o.name} ${s.output}`)) hosts.push(v);
      }
      return { hosts };
    },
  );

  app.get<{ Params: { host: string } }>(
    '/api/v1/hosts/:host',
    {
      schema: {
        summary: 'One host',
        tags: ['status'],
        params: { type: 'object', properties: { host: { type: 'string' } }, required: ['host'] },
        response: { 200: hostSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const o = findTarget(ctx, reply, req.params.host);
      if (o?.kind !== 'host') return reply;
      return hostView(o, engine.status(o.id)!, servicesOf(o.name));
    },
  );

  app.get<{ Querystring: ListQuery }>(
    '/api/v1/services',
    {
      schema: {
        summary: 'Services with their current state',
        tags: ['status'],
        querystring: listQuery,
        response: {
          200: { type: 'object', properties: { services: { type: 'array', items: serviceSchema } } },
        },
      },
    },
    async (req) => {
      const services: ServiceView[] = [];
      const q = req.query;
      for (const o of engine.objects()) {
        if (o.kind !== 'service') continue;
        if (q.host && o.host !== q.host) continue;
        const s = engine.status(o.id);
        if (!s) continue;
        const v = serviceView(o, s);
        if (keep(v, q, `${o.host} ${o.name} ${s.output}`)) services.push(v);
      }
      return { services };
    },
  );

  app.get<{ Params: { host: string; service: string } }>(
    '/api/v1/services/:host/:service',
    {
      schema: {
        summary: 'One service',
        tags: ['status'],
        params: {
          type: 'object',
          properties: { host: { type: 'string' }, service: { type: 'string' } },
          required: ['host', 'service'],
        },
        response: { 200: serviceSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const o = findTarget(ctx, reply, req.params.host, req.params.service);
      if (o?.kind !== 'service') return reply;
      return serviceView(o, engine.status(o.id)!);
    },
  );

  app.get(
    '/api/v1/status',
    {
      schema: {
        summary: 'Summary: counts by state and environment, engine and reload status',
        tags: ['status'],
        response: {
          200: {
            type: 'object',
            properties: {
              deployment: { type: 'string' },
              startedAt: { type: 'string' },
              hosts: { type: 'object', additionalProperties: { type: 'integer' } },
              services: { type: 'object', additionalProperties: { type: 'integer' } },
              environments: {
                type: 'object',
                additionalProperties: { type: 'object', additionalProperties: { type: 'integer' } },
              },
              unhandledProblems: { type: 'integer' },
              lastReload: {
                type: ['object', 'null'],
                properties: {
                  at: { type: 'string' },
                  ok: { type: 'boolean' },
                  added: { type: 'integer' },
                  removed: { type: 'integer' },
                  changed: { type: 'integer' },
                  errors: { type: 'array', items: { type: 'string' } },
                },
              },
            },
          },
        },
      },
    },
    async () => {
      const hosts: Record<string, number> = { UP: 0, DOWN: 0, UNREACHABLE: 0 };
      const services: Record<string, number> = Object.fromEntries(SERVICE_STATE_NAMES.map((n) => [n, 0]));
      const environments: Record<string, Record<string, number>> = {};
      let unhandled = 0;
      for (const o of engine.objects()) {
        const s = engine.status(o.id);
        if (!s) continue;
        let env = environments[o.environment];
        if (!env) {
          env = { hosts: 0, services: 0, problems: 0 };
          environments[o.environment] = env;
        }
        if (o.kind === 'host') {
          env.hosts = (env.hosts ?? 0) + 1;
          const n = ['UP', 'DOWN', 'UNREACHABLE'][s.state] ?? 'DOWN';
          hosts[n] = (hosts[n] ?? 0) + 1;
        } else {
          env.services = (env.services ?? 0) + 1;
          const n = SERVICE_STATE_NAMES[s.state] ?? 'UNKNOWN';
          services[n] = (services[n] ?? 0) + 1;
        }
        if (s.state !== 0) {
          env.problems = (env.problems ?? 0) + 1;
          if (s.stateType === 'HARD' && !s.acknowledgement && s.activeDowntimes.length === 0) unhandled++;
        }
      }
      const r = engine.lastReload;
      return {
        deployment: engine.deployment.name,
        startedAt: new Date(engine.startedAt).toISOString(),
        hosts,
        services,
        environments,
        unhandledProblems: unhandled,
        lastReload: r
          ? {
              at: new Date(r.at).toISOString(),
              ok: r.ok,
              added: r.added.length,
              removed: r.removed.length,
              changed: r.changed.length,
              errors: r.errors ?? [],
            }
          : null,
      };
    },
  );
}

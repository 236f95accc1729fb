import type { FastifyInstance } from 'fastify';
import {
  type DerivedLineRequest,
  derivedPoints,
  formulaInputs,
  type GraphPoint,
  graphTree,
  hostGraphs,
  NO_ROLE,
  parseDerivedLine,
  perSecond,
  ROLE_GRAPHS,
} from '../graphs/index.ts';
import { type DashboardContext, notVisible, requireSession, visibility } from './context.ts';

const HOUR = 3_600_000;
/** About this many points per line: the store serves them from raw, 5m or 1h rollups accordingly. */
const POINTS_PER_GRAPH = 600;
const MAX_KEYS = 24;
/** Series read for one request, formula lines' inputs included (a summary of CPU and 9 disks: 39). */
const MAX_SERIES = 64;
/** One graph per host on a role's page: beyond this many hosts, the page says how many it left out. */
const MAX_ROLE_HOSTS = 60;

/** The graph tree, a host's graphs and their data (JSON for app.js, with the session cookie). */
export function graphRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  const hide = { schema: { hide: true } };

  app.get('/ui/api/graph-tree', hide, async (req, reply) => {
    const s = requireSession(ctx, req, reply, 'api');
    if (!s) return reply;
    const d = ctx.engine.deployment;
    return graphTree(d.environments, d.hosts, visibility(s));
  });

  app.get<{ Querystring: { host?: string } }>('/ui/api/graphs', hide, async (req, reply) => {
    const s = requireSession(ctx, req, reply, 'api');
    if (!s) return reply;
    const name = req.query.host ?? '';
    const host = ctx.engine.object(name);
    if (host?.kind !== 'host' || !visibility(s)(host.environment))
      return notVisible(
        ctx,
        s,
        req,
        reply,
        host,
        `no host "${name}" you may see (the graph tree lists them)`,
      );
    const series = ctx.store.listSeries({ labels: { environment: host.environment, host: host.name } });
    return {
      host: host.name,
      environment: host.environment,
      roles: host.roles,
      series: series.length,
      graphs: hostGraphs(series),
    };
  });

  // A branch of the tree: the same graph (summary, CPU, disk…) of every host of a role, one under another.
  app.get<{ Querystring: { environment?: string; role?: string; graph?: string } }>(
    '/ui/api/role-graphs',
    hide,
    async (req, reply) => {
      const s = requireSession(ctx, req, reply, 'api');
      if (!s) return reply;
      const environment = req.query.environment ?? '';
      const role = req.query.role ?? '';
      const graph = req.query.graph || 'summary';
      const hosts = ctx.engine.deployment.hosts.filter(
        (h) =>
          h.environment === environment && (role === NO_ROLE ? h.roles.length === 0 : h.roles.includes(role)),
      );
      if (!visibility(s)(environment) || hosts.length === 0 || !ROLE_GRAPHS.includes(graph)) {
        return reply.code(404).send({
          statusCode: 404,
          error: 'Not Found',
          message: ROLE_GRAPHS.includes(graph)
            ? `no host with role "${role}" in environment "${environment}" you may see (the graph tree lists them)`
            : `graph "${graph}" is not one of ${ROLE_GRAPHS.join(', ')}`,
        });
      }
      const names = hosts.map((h) => h.name).sort();
      const graphs = [];
      const without: string[] = [];
      for (const name of names.slice(0, MAX_ROLE_HOSTS)) {
        const series = ctx.store.listSeries({ labels: { environment, host: name } });
        const def = hostGraphs(series).find((g) => g.id === graph);
        if (def) graphs.push({ ...def, id: `${name}:${graph}`, title: name, host: name, section: undefined });
        else without.push(name);
      }
      return {
        environment,
        role,
        graph,
        choices: ROLE_GRAPHS,
        hosts: names.length,
        left: Math.max(0, names.length - MAX_ROLE_HOSTS),
        graphs,
        without,
      };
    },
  );

  app.get<{
    Querystring: {
      key?: string | string[];
      rate?: string | string[];
      line?: string | string[];
      from?: string;
      to?: string;
    };
  }>('/ui/api/range', hide, async (req, reply) => {
    const s = requireSession(ctx, req, reply, 'api');
    if (!s) return reply;
    const visible = visibility(s);
    const rates = new Set(([] as string[]).concat(req.query.rate ?? []));
    const keys = [...new Set(([] as string[]).concat(req.query.key ?? [], [...rates]))].slice(0, MAX_KEYS);
    const lines: DerivedLineRequest[] = [];
    for (const text of ([] as string[]).concat(req.query.line ?? []).slice(0, MAX_KEYS)) {
      const line = parseDerivedLine(text);
      if (typeof line === 'string')
        return reply.code(400).send({ statusCode: 400, error: 'Bad Request', message: line });
      lines.push(line);
    }
    const to = Number(req.query.to) || Date.now();
    const from = Number(req.query.from) || to - HOUR;
    if (!(to > from))
      return reply
        .code(400)
        .send({ statusCode: 400, error: 'Bad Request', message: 'to must be after from' });
    const stepMs = Math.max(1000, Math.ceil((to - from) / POINTS_PER_GRAPH));
    // Each series read once per request, a counter from one bucket earlier (a rate needs it).
    type Read = { resolution: string; stepMs: number; points: GraphPoint[] };
    const reads = new Map<string, Read | null>();
    const read = (key: string, counter: boolean): Read | null => {
      const id = `${counter ? 'c' : 'g'}${key}`;
      if (reads.has(id)) return reads.get(id)!;
      const env = /[{,]environment="([^"]*)"/.exec(key)?.[1] ?? '';
      const r =
        visible(env) && reads.size < MAX_SERIES
          ? ctx.store.queryRange({ series: key, from: counter ? from - stepMs : from, to, stepMs })
          : null;
      const result = r && {
        resolution: r.resolution,
        stepMs: r.stepMs,
        points: r.points.map((p) => [p.t, p.avg, p.min, p.max] as GraphPoint),
      };
      reads.set(id, result);
      return result;
    };
    const series = [];
    for (const key of keys) {
      const rate = rates.has(key);
      const r = read(key, rate);
      if (!r) continue;
      series.push({ key, rate, ...r, points: rate ? perSecond(r.points) : r.points });
    }
    for (const line of lines) {
      const inputs = new Map<string, GraphPoint[]>();
      let first: Read | null = null;
      for (const input of formulaInputs(line.of)) {
        const r = read(input.key, input.counter);
        if (r) inputs.set(input.key, r.points);
        first ??= r;
      }
      if (!first) continue;
      series.push({
        key: line.key,
        rate: false,
        resolution: first.resolution,
        stepMs: first.stepMs,
        points: derivedPoints(line.of, inputs),
      });
    }
    return { from, to, series };
  });
}

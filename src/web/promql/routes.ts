import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../../store/types.ts';
import { hashToken, roleAllows } from '../api-tokens.ts';
import { type EvalSeries, evaluate, selectSeries } from './evaluate.ts';
import { parseDurationMs, parsePromQL } from './parse.ts';

export const PROMETHEUS_PREFIX = '/prometheus';
const MAX_POINTS = 11_000; // Prometheus' own limit per series in a range query

type Params = Record<string, string | string[] | undefined>;

function params(req: FastifyRequest): Params {
  return { ...(req.query as Params), ...((req.body as Params | undefined) ?? {}) };
}

function one(p: Params, k: string): string | undefined {
  const v = p[k];
  return Array.isArray(v) ? v[0] : v;
}

function time(text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (Number.isFinite(n)) return Math.round(n * 1000);
  const t = Date.parse(text);
  if (Number.isNaN(t)) throw new Error(`"${text}" is not a time: use RFC 3339 or unix seconds`);
  return t;
}

function step(text: string | undefined): number {
  if (!text) throw new Error('query_range needs "step" (seconds or a duration like 30s)');
  const n = Number(text);
  const ms = Number.isFinite(n) ? n * 1000 : parseDurationMs(text);
  if (!ms || ms <= 0) throw new Error(`"step" ${text} is not a positive duration`);
  return ms;
}

const fmt = (v: number) =>
  Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v);

function bad(reply: FastifyReply, err: unknown) {
  return reply.code(400).send({
    status: 'error',
    errorType: 'bad_data',
    error: err instanceof Error ? err.message : String(err),
  });
}

/**
 * The Prometheus HTTP API's read side (what Grafana's Prometheus data source calls), under
 * /prometheus: query, query_range, series, labels, label values, buildinfo. Authenticated with the
 * same bearer tokens as /api/v1 (configure Grafana with an "Authorization: Bearer" header).
 */
export async function prometheusRoutes(
  app: FastifyInstance,
  opts: { store: Store; version: string },
): Promise<void> {
  const { store } = opts;
  await app.register(
    async (scope) => {
      scope.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string', bodyLimit: 1 << 20 },
        (_req, body, done) => {
          const out: Params = {};
          for (const [k, v] of new URLSearchParams(body as string)) {
            const prev = out[k];
            out[k] = prev === undefined ? v : ([] as string[]).concat(prev, v);
          }
          done(null, out);
        },
      );
      scope.addHook('onRequest', async (req, reply) => {
        const m = req.headers.authorization ? /^Bearer\s+(\S+)$/i.exec(req.headers.authorization) : null;
        const token = m ? store.findTokenByHash(hashToken(m[1]!)) : null;
        if (!token || !roleAllows(token.role, 'viewer')) {
          return reply.code(401).header('www-authenticate', 'Bearer realm="steward"').send({
            status: 'error',
            errorType: 'unauthorized',
            error: 'send "Authorization: Bearer <token>" (steward token create --role viewer)',
          });
        }
      });
      const both = (
        path: string,
        handler: (req: FastifyRequest, reply: FastifyReply) => Promise<unknown>,
      ) => {
        scope.get(path, { schema: { hide: true } }, handler);
        scope.post(path, { schema: { hide: true } }, handler);
      };

      both('/api/v1/query', async (req, reply) => {
        try {
          const p = params(req);
          const expr = parsePromQL(one(p, 'query') ?? '');
          const t = time(one(p, 'time'), Date.now());
          const result = evaluate(store, expr, [t], 60_000);
          if (expr.type === 'number')
            return { status: 'success', data: { resultType: 'scalar', result: [t / 1000, fmt(expr.value)] } };
          return {
            status: 'success',
            data: {
              resultType: 'vector',
              result: result
                .filter((s) => s.values[0] !== null)
                .map((s) => ({ metric: s.labels, value: [t / 1000, fmt(s.values[0]!)] })),
            },
          };
        } catch (err) {
          return bad(reply, err);
        }
      });

      both('/api/v1/query_range', async (req, reply) => {
        try {
          const p = params(req);
          const expr = parsePromQL(one(p, 'query') ?? '');
          const start = time(one(p, 'start'), Date.now() - 3_600_000);
          const end = time(one(p, 'end'), Date.now());
          const s = step(one(p, 'step'));
          if (end < start) throw new Error('"end" is before "start"');
          if ((end - start) / s > MAX_POINTS)
            throw new Error(`more than ${MAX_POINTS} points per series; raise "step"`);
          const times: number[] = [];
          for (let t = start; t <= end; t += s) times.push(t);
          const result: EvalSeries[] = evaluate(store, expr, times, s);
          return {
            status: 'success',
            data: {
              resultType: 'matrix',
              result: result
                .map((r) => ({
                  metric: r.labels,
                  values: r.values.flatMap((v, i) => (v === null ? [] : [[times[i]! / 1000, fmt(v)]])),
                }))
                .filter((r) => r.values.length > 0),
            },
          };
        } catch (err) {
          return bad(reply, err);
        }
      });

      const matchedSeries = (p: Params) => {
        const matches = ([] as string[]).concat(p['match[]'] ?? []);
        if (matches.length === 0) return store.listSeries().slice(0, 10_000);
        const seen = new Map<string, ReturnType<typeof selectSeries>[number]>();
        for (const m of matches) {
          const e = parsePromQL(m);
          if (e.type !== 'selector') throw new Error(`match[] takes selectors, not "${m}"`);
          for (const s of selectSeries(store, e.name, e.matchers)) seen.set(s.key, s);
        }
        return [...seen.values()];
      };

      both('/api/v1/series', async (req, reply) => {
        try {
          return {
            status: 'success',
            data: matchedSeries(params(req)).map((s) => ({ __name__: s.name, ...s.labels })),
          };
        } catch (err) {
          return bad(reply, err);
        }
      });

      both('/api/v1/labels', async (req, reply) => {
        try {
          const names = new Set(['__name__']);
          for (const s of matchedSeries(params(req))) for (const k of Object.keys(s.labels)) names.add(k);
          return { status: 'success', data: [...names].sort() };
        } catch (err) {
          return bad(reply, err);
        }
      });

      scope.get<{ Params: { name: string } }>(
        '/api/v1/label/:name/values',
        { schema: { hide: true } },
        async (req, reply) => {
          try {
            const values = new Set<string>();
            for (const s of matchedSeries(params(req))) {
              const v = req.params.name === '__name__' ? s.name : s.labels[req.params.name];
              if (v !== undefined) values.add(v);
            }
            return { status: 'success', data: [...values].sort() };
          } catch (err) {
            return bad(reply, err);
          }
        },
      );

      scope.get('/api/v1/status/buildinfo', { schema: { hide: true } }, async () => ({
        status: 'success',
        data: {
          version: '2.53.0',
          revision: `steward-${opts.version}`,
          branch: 'steward',
          buildUser: 'steward',
          buildDate: '',
          goVersion: '',
        },
      }));
      // Grafana probes these when saving the data source; empty answers are valid.
      scope.get('/api/v1/metadata', { schema: { hide: true } }, async () => ({
        status: 'success',
        data: {},
      }));
      scope.get('/api/v1/rules', { schema: { hide: true } }, async () => ({
        status: 'success',
        data: { groups: [] },
      }));
    },
    { prefix: PROMETHEUS_PREFIX },
  );
}

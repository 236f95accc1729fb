import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { StewardServer } from '../helpers/steward-server.ts';
import { WebClient } from './helpers/dashboard.ts';

/** The Prometheus read API as Grafana calls it, against a running `steward serve`. */
let server: StewardServer;

before(async () => {
  server = new StewardServer(`
deployment: prom
operatorNetworks: [127.0.0.0/8]
environments:
  - name: prod
    hosts:
      - name: app-1
        address: 127.0.0.1
        checks:
          - { name: heap, passive: {} }
      - name: app-2
        address: 127.0.0.1
        checks:
          - { name: heap, passive: {} }
`);
  await server.start();
  for (const [host, used] of [
    ['app-1', 100],
    ['app-2', 300],
  ] as const) {
    const r = await server.post('/api/v1/results', {
      host,
      service: 'heap',
      state: 'OK',
      output: 'heap ok',
      perfdata: `used=${used}MB;;;0;1024`,
    });
    assert.equal(r.status, 202);
  }
});

after(async () => {
  await server.cleanup();
});

const form = (q: Record<string, string>) => new URLSearchParams(q).toString();

test('instant query with an aggregation, over GET', async () => {
  const q = encodeURIComponent('sum by (environment) (perfdata{service="heap",label="used"})');
  const r = await server.get(`/prometheus/api/v1/query?query=${q}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.status, 'success');
  assert.equal(r.body.data.resultType, 'vector');
  assert.deepEqual(
    r.body.data.result.map((x: { metric: unknown; value: [number, string] }) => [x.metric, x.value[1]]),
    [[{ environment: 'prod' }, '400']],
  );
});

test('range query, series, labels, label values and buildinfo', async () => {
  const now = Math.ceil(Date.now() / 1000) + 1;
  const range = await server.get(
    `/prometheus/api/v1/query_range?${form({ query: 'perfdata{host="app-1",label="used"}', start: String(now - 120), end: String(now + 1), step: '15' })}`,
  );
  assert.equal(range.status, 200, JSON.stringify(range.body));
  assert.equal(range.body.data.resultType, 'matrix');
  assert.equal(range.body.data.result.length, 1, JSON.stringify(range.body));
  assert.equal(range.body.data.result[0].metric.__name__, 'perfdata');
  assert.ok(range.body.data.result[0].values.every((v: [number, string]) => v[1] === '100'));
  const series = await server.get(
    `/prometheus/api/v1/series?${form({ 'match[]': 'perfdata{host="app-2"}' })}`,
  );
  assert.deepEqual(
    series.body.data.map((s: { host: string }) => s.host),
    ['app-2'],
  );
  const labels = await server.get('/prometheus/api/v1/labels');
  for (const l of ['__name__', 'environment', 'host', 'label', 'service'])
    assert.ok(labels.body.data.includes(l), l);
  const hosts = await server.get('/prometheus/api/v1/label/host/values');
  assert.deepEqual(hosts.body.data, ['app-1', 'app-2']);
  const build = await server.get('/prometheus/api/v1/status/buildinfo');
  assert.match(build.body.data.version, /^\d+\.\d+\.\d+$/);
});

test('Grafana sends POST with a form body; bad PromQL is a 400 bad_data; no token is a 401', async () => {
  const post = await new WebClient(server).send('POST', '/prometheus/api/v1/query', {
    form: { query: 'max(perfdata{label="used"})' },
    headers: { authorization: `Bearer ${server.token}` },
  });
  assert.equal(post.status, 200, post.text);
  assert.equal(post.json.data.result[0].value[1], '300');
  const bad = await server.get(`/prometheus/api/v1/query?query=${encodeURIComponent('topk(3, x)')}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.errorType, 'bad_data');
  const anonymous = await server.get('/prometheus/api/v1/labels', null);
  assert.equal(anonymous.status, 401);
});

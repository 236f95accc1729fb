import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, StewardServer, steward } from '../helpers/steward-server.ts';

let server: StewardServer;
let web: ReturnType<typeof createServer>;
let webPort = 0;

before(async () => {
  web = createServer((req, res) => {
    if (req.url === '/slow') setTimeout(() => res.end('late'), 3000);
    else if (req.url === '/health') res.end('{"status":"UP"}');
    else {
      res.statusCode = 503;
      res.end('down');
    }
  });
  await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
  webPort = (web.address() as { port: number }).port;
  server = new StewardServer('');
  server.writeSpec(`
deployment: api-test
operatorNetworks: [127.0.0.0/8]
defaults: { interval: 300ms, retryInterval: 300ms, maxAttempts: 1, timeout: 10s }
environments:
  - name: dev
    hosts:
      - name: web-1
        address: 127.0.0.1
        hostCheck: { tcp: { port: ${webPort} } }
        checks:
          - { name: health, http: { url: "http://{{address}}:${webPort}/health", expectBody: UP } }
          - { name: broken, http: { url: "http://{{address}}:${webPort}/other" } }
          - { name: slow, http: { url: "http://{{address}}:${webPort}/slow" }, timeout: 500ms }
          - { name: tcp, tcp: { port: ${webPort} } }
          - { name: check-tcp-plugin, plugin: { command: check_tcp, args: ["-H", "{{address}}", "-p", "${webPort}"] } }
          - { name: check-http-plugin, plugin: { command: check_http, args: ["-I", "{{address}}", "-p", "${webPort}", "-u", "/health"] } }
`);
  await server.start();
});

after(async () => {
  await server.cleanup();
  web.close();
});

test('healthz and metrics answer without a token; the API needs one', async () => {
  assert.equal((await server.get('/healthz', null)).status, 200);
  const m = await server.get('/metrics', null);
  assert.equal(m.status, 200);
  assert.match(m.body, /^# HELP steward_checks_total/m);
  const noToken = await server.get('/api/v1/services', null);
  assert.equal(noToken.status, 401);
  assert.match(noToken.headers['www-authenticate'] as string, /Bearer/);
  const badToken = await server.get('/api/v1/services', 'stw_not-a-token');
  assert.equal(badToken.status, 401);
});

test('native and plugin checks agree on the same local listener', async () => {
  const health = await server.waitForService('web-1', 'health', (s) => s.checked);
  assert.equal(health.state, 'OK');
  assert.ok(health.perfdata.some((p: any) => p.label === 'time' && p.uom === 's'));
  const broken = await server.waitForService('web-1', 'broken', (s) => s.checked);
  assert.equal(broken.state, 'CRITICAL');
  assert.match(broken.output, /503/);
  const slow = await server.waitForService('web-1', 'slow', (s) => s.checked, 5000);
  assert.equal(slow.state, 'CRITICAL');
  assert.match(slow.output, /timed out|timeout/i);
  const tcp = await server.waitForService('web-1', 'tcp', (s) => s.checked);
  const ctcp = await server.waitForService('web-1', 'check-tcp-plugin', (s) => s.checked);
  assert.equal(tcp.state, 'OK');
  assert.equal(ctcp.state, 'OK');
  const chttp = await server.waitForService('web-1', 'check-http-plugin', (s) => s.checked);
  assert.equal(chttp.state, 'OK');
  // The server forks its plugins through spawner processes, not itself (--plugin-spawners).
  const metrics = (await server.get('/metrics', null)).body as string;
  const spawners = Number(/^steward_plugin_spawner_processes (\d+)$/m.exec(metrics)?.[1]);
  assert.ok(spawners >= 1, `steward_plugin_spawner_processes in:\n${metrics}`);
  assert.match(metrics, /^steward_plugin_spawner_restarts_total 0$/m);
  const host = (await server.get('/api/v1/hosts/web-1')).body;
  assert.equal(host.state, 'UP');
});

test('lists filter by state and problems; unknown objects are a 404 that says what exists', async () => {
  await server.waitForService('web-1', 'broken', (s) => s.checked);
  const problems = await server.get('/api/v1/services?problems=true');
  const names = problems.body.services.map((s: any) => s.name).sort();
  assert.ok(names.includes('broken'));
  assert.ok(!names.includes('health'));
  const crit = await server.get('/api/v1/services?state=CRITICAL&environment=dev');
  assert.ok(crit.body.services.every((s: any) => s.state === 'CRITICAL'));
  const missing = await server.get('/api/v1/services/web-1/nope');
  assert.equal(missing.status, 404);
  assert.match(missing.body.message, /services\?host=web-1/);
  const summary = await server.get('/api/v1/status');
  assert.equal(summary.body.deployment, 'api-test');
  assert.ok(summary.body.services.CRITICAL >= 2);
});

test('request validation names the field', async () => {
  const r = await server.post('/api/v1/acknowledgements', { host: 'web-1', service: 'broken' });
  assert.equal(r.status, 400);
  assert.match(r.body.message, /comment/);
  const d = await server.post('/api/v1/downtimes', { host: 'web-1', comment: 'x', duration: 'soon' });
  assert.equal(d.status, 400);
  assert.match(d.body.message, /soon/);
});

test('token roles: a viewer reads but cannot act; a revoked token stops working', async () => {
  const created = steward([
    'token',
    'create',
    '--name',
    'viewer-1',
    '--role',
    'viewer',
    '--data',
    server.dataDir,
  ]);
  assert.equal(created.code, 0, created.stderr);
  const viewer = created.stdout.trim();
  assert.equal((await server.get('/api/v1/hosts', viewer)).status, 200);
  const act = await server.request('POST', '/api/v1/recheck', { host: 'web-1' }, viewer);
  assert.equal(act.status, 403);
  const list = steward(['token', 'list', '--data', server.dataDir]);
  assert.match(list.stdout, /viewer-1\tviewer/);
  assert.ok(!list.stdout.includes(viewer), 'tokens are never shown again');
  assert.equal(steward(['token', 'revoke', 'viewer-1', '--data', server.dataDir]).code, 0);
  assert.equal((await server.get('/api/v1/hosts', viewer)).status, 401);
  const db = readFileSync(join(server.dataDir, 'steward.db'));
  assert.ok(!db.includes(Buffer.from(viewer)), 'the store holds only hashes');
});

test('the served OpenAPI document is the committed one', async () => {
  const r = await server.get('/api/v1/openapi.json', null);
  assert.equal(r.status, 200);
  const committed = JSON.parse(readFileSync(join(ROOT, 'docs/openapi.json'), 'utf8'));
  assert.deepEqual(r.body.paths, committed.paths, 'run: npm run openapi, and commit docs/openapi.json');
  for (const p of [
    '/api/v1/hosts',
    '/api/v1/services',
    '/api/v1/events',
    '/api/v1/results',
    '/api/v1/acknowledgements',
    '/api/v1/downtimes',
    '/api/v1/comments',
    '/api/v1/recheck',
    '/api/v1/metrics',
  ]) {
    assert.ok(r.body.paths[p], `${p} documented`);
  }
});

test('the log is JSON lines and never contains a token', async () => {
  const lines = server.logs.split('\n').filter((l) => l.trim());
  assert.ok(lines.length > 0);
  for (const l of lines) assert.doesNotThrow(() => JSON.parse(l), l);
  assert.ok(!server.logs.includes(server.token));
});

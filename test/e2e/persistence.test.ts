import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { StewardServer, setPluginState, steward, TEST_PLUGINS } from '../helpers/steward-server.ts';

const spec = (dir: string, extra = '') => `
deployment: persistence
operatorNetworks: [127.0.0.0/8]
pluginDirs: [${TEST_PLUGINS}]
defaults: { interval: 1h, retryInterval: 1h, maxAttempts: 3 }
environments:
  - name: prod
    hosts:
      - name: db-1
        address: 127.0.0.1
        checks:
          - name: driven
            plugin: { command: check_from_file, args: ["${join(dir, 'state')}"] }
          - name: heartbeat
            passive: {}
            freshness: 1s
            staleState: CRITICAL
${extra}`;

const servers: StewardServer[] = [];
after(async () => {
  for (const s of servers) await s.cleanup();
});

async function recheck(server: StewardServer, output: string): Promise<any> {
  const before = await server.service('db-1', 'driven');
  await server.post('/api/v1/recheck', { host: 'db-1', service: 'driven' });
  return await server.waitForService(
    'db-1',
    'driven',
    (s) => s.lastCheck !== before.lastCheck && s.output === output,
  );
}

test('state, attempts, acks, downtimes and comments survive a graceful restart and kill -9', async () => {
  const server = new StewardServer('');
  servers.push(server);
  const stateFile = join(server.dir, 'state');
  server.writeSpec(spec(server.dir));
  setPluginState(stateFile, 0, 'ok');
  await server.start();
  await recheck(server, 'ok');
  setPluginState(stateFile, 2, 'broken');
  await recheck(server, 'broken');
  setPluginState(stateFile, 2, 'broken 2');
  const soft = await recheck(server, 'broken 2');
  assert.deepEqual([soft.state, soft.stateType, soft.attempt], ['CRITICAL', 'SOFT', 2]);
  await server.post('/api/v1/comments', { host: 'db-1', service: 'driven', text: 'keep me' });
  await server.post('/api/v1/downtimes', { host: 'db-1', duration: '1h', comment: 'upgrade window' });
  await server.post('/api/v1/acknowledgements', {
    host: 'db-1',
    service: 'driven',
    comment: 'known',
    sticky: true,
  });
  const eventsBefore = (await server.get('/api/v1/events?limit=1000')).body.events.length;
  const stateEventsBefore = (await server.get('/api/v1/events?host=db-1&service=driven&type=state')).body
    .events.length;
  const snapshot = await server.service('db-1', 'driven');

  for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
    await server.stop(signal);
    await server.start();
    const s = await server.service('db-1', 'driven');
    for (const k of [
      'state',
      'stateType',
      'attempt',
      'output',
      'lastCheck',
      'lastStateChange',
      'acknowledged',
      'acknowledgement',
    ] as const) {
      assert.deepEqual(s[k], snapshot[k], `${k} after ${signal}`);
    }
    const host = (await server.get('/api/v1/hosts/db-1')).body;
    assert.equal(host.inDowntime, true, `host downtime after ${signal}`);
    const comments = (await server.get('/api/v1/comments?host=db-1&service=driven')).body.comments;
    assert.ok(
      comments.some((c: any) => c.text === 'keep me'),
      `comment after ${signal}`,
    );
    await sleep(300);
    const eventsAfter = (await server.get('/api/v1/events?limit=1000')).body.events;
    const stateEvents = eventsAfter.filter((e: any) => e.service === 'driven' && e.type === 'state');
    assert.ok(eventsAfter.length >= eventsBefore, 'history kept');
    assert.equal(
      stateEvents.length,
      stateEventsBefore,
      `no state change invented by the restart (${signal})`,
    );
  }

  // The next failure continues from attempt 2: HARD at 3, not SOFT 1 again.
  setPluginState(stateFile, 2, 'broken 3');
  const hard = await recheck(server, 'broken 3');
  assert.deepEqual([hard.state, hard.stateType, hard.attempt], ['CRITICAL', 'HARD', 3]);
});

test('passive results are accepted, and a stale passive service goes to its staleState', async () => {
  const server = new StewardServer('');
  servers.push(server);
  server.writeSpec(spec(server.dir));
  await server.start();
  const r = await server.post('/api/v1/results', {
    host: 'db-1',
    service: 'heartbeat',
    state: 'OK',
    output: 'backup finished|duration=12.5s;60;120;0 size=1024B',
  });
  assert.equal(r.status, 202, JSON.stringify(r.body));
  let s = await server.service('db-1', 'heartbeat');
  assert.equal(s.state, 'OK');
  assert.equal(s.output, 'backup finished');
  assert.deepEqual(
    s.perfdata.map((p: any) => [p.label, p.value, p.uom]),
    [
      ['duration', 12.5, 's'],
      ['size', 1024, 'B'],
    ],
  );
  s = await server.waitForService('db-1', 'heartbeat', (x) => x.state === 'CRITICAL', 5000);
  assert.match(s.output, /stale|fresh/i);

  const bad = await server.post('/api/v1/results', {
    host: 'db-1',
    service: 'heartbeat',
    state: 'PURPLE',
    output: 'x',
  });
  assert.equal(bad.status, 400);
  assert.match(bad.body.message, /PURPLE/);
  const missing = await server.post('/api/v1/results', {
    host: 'db-1',
    service: 'nope',
    state: 0,
    output: 'x',
  });
  assert.equal(missing.status, 404);

  const series = await server.get('/api/v1/metrics/series?host=db-1&service=heartbeat');
  assert.ok(series.body.series.some((x: any) => x.labels.label === 'duration'));
  const points = await server.get('/api/v1/metrics?host=db-1&service=heartbeat&label=duration&from=-1h');
  assert.equal(points.status, 200, JSON.stringify(points.body));
  assert.equal(points.body.resolution, 'raw');
  assert.ok(points.body.points.some((p: number[]) => p[1] === 12.5));
});

test('reload: a broken spec is refused with its location, the running config stays; a valid one applies the difference', async () => {
  const server = new StewardServer('');
  servers.push(server);
  const stateFile = join(server.dir, 'state');
  setPluginState(stateFile, 1, 'meh');
  server.writeSpec(spec(server.dir));
  await server.start();
  await recheck(server, 'meh');
  const before = await server.service('db-1', 'driven');

  server.writeSpec(
    `${spec(server.dir)}\n  - name: broken\n    hosts: [{ name: x, address: 1.2.3.4, intervall: 5m }]\n`,
  );
  const refused = steward(['reload', '--data', server.dataDir]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /steward\.yaml:\d+:\d+/);
  assert.match(refused.stderr, /intervall/);
  const status = await server.get('/api/v1/status');
  assert.equal(status.body.lastReload.ok, false);
  assert.ok(status.body.lastReload.errors[0].includes('steward.yaml:'));
  assert.equal((await server.get('/healthz')).status, 200, 'still serving the old config');
  const metrics = await server.get('/metrics');
  assert.match(metrics.body, /steward_config_last_reload_successful 0/);

  server.writeSpec(
    spec(
      server.dir,
      `          - name: new-check
            plugin: { command: check_from_file, args: ["${stateFile}"] }
`,
    ),
  );
  const ok = steward(['reload', '--data', server.dataDir]);
  assert.equal(
    ok.code,
    0,
    `${ok.stderr}\n${server.logs
      .split('\n')
      .filter((l) => !l.includes('request'))
      .slice(-15)
      .join('\n')}`,
  );
  assert.match(ok.stdout, /1 added/);
  const after = await server.service('db-1', 'driven');
  for (const k of ['state', 'stateType', 'attempt', 'lastCheck', 'lastStateChange'] as const) {
    assert.deepEqual(after[k], before[k], `unchanged check kept its ${k}`);
  }
  await server.waitForService('db-1', 'new-check', (s) => s.checked === true, 10_000);
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { StewardServer, setPluginState, TEST_PLUGINS } from '../helpers/steward-server.ts';

/** Hosts, parents and flapping through the running server, driven step by step with recheck. */
let server: StewardServer;
const file = (name: string) => join(server.dir, name);

before(async () => {
  server = new StewardServer('');
  for (const f of ['router', 'app', 'svc', 'flappy']) setPluginState(file(f), 0, `${f} fine`);
  server.writeSpec(`
deployment: hosts
operatorNetworks: [127.0.0.0/8]
pluginDirs: [${TEST_PLUGINS}]
defaults: { interval: 1h, retryInterval: 1h, maxAttempts: 2 }
environments:
  - name: prod
    hosts:
      - name: router
        address: 127.0.0.1
        hostCheck: { plugin: { command: check_from_file, args: ["${file('router')}"] }, maxAttempts: 1 }
      - name: app
        address: 127.0.0.1
        parents: [router]
        hostCheck: { plugin: { command: check_from_file, args: ["${file('app')}"] }, maxAttempts: 1 }
        checks:
          - { name: svc, plugin: { command: check_from_file, args: ["${file('svc')}"] }, maxAttempts: 3 }
          - { name: flappy, plugin: { command: check_from_file, args: ["${file('flappy')}"] }, maxAttempts: 1 }
`);
  await server.start();
});

after(async () => {
  await server.cleanup();
});

async function recheck(
  host: string,
  service: string | undefined,
  code: number,
  output: string,
): Promise<any> {
  setPluginState(file(service ?? host), code, output);
  const path = service ? `/api/v1/services/${host}/${service}` : `/api/v1/hosts/${host}`;
  const beforeCheck = (await server.get(path)).body.lastCheck;
  await server.post('/api/v1/recheck', service ? { host, service } : { host });
  for (let i = 0; i < 200; i++) {
    const s = (await server.get(path)).body;
    if (s.lastCheck !== beforeCheck && s.output === output) return s;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no new result for ${host}/${service ?? ''}`);
}

test('a DOWN host whose parent is DOWN is UNREACHABLE; with the parent UP it is DOWN', async () => {
  let app = await recheck('app', undefined, 2, 'app unreachable?');
  assert.equal(app.state, 'DOWN');
  const router = await recheck('router', undefined, 2, 'router dead');
  assert.equal(router.state, 'DOWN');
  app = await recheck('app', undefined, 2, 'app gone');
  assert.equal(app.state, 'UNREACHABLE');
  await recheck('router', undefined, 0, 'router back');
  app = await recheck('app', undefined, 2, 'app still gone');
  assert.equal(app.state, 'DOWN');
});

test('a service on a host that is not UP goes HARD on its first failure', async () => {
  const s = await recheck('app', 'svc', 2, 'svc failed');
  assert.deepEqual([s.state, s.stateType], ['CRITICAL', 'HARD']);
  await recheck('app', undefined, 0, 'app fine');
  await recheck('app', 'svc', 0, 'svc fine');
  const soft = await recheck('app', 'svc', 2, 'svc failed again');
  assert.deepEqual(
    [soft.state, soft.stateType, soft.attempt],
    ['CRITICAL', 'SOFT', 1],
    'host UP: normal SOFT attempts',
  );
});

test('a service that keeps changing state is flagged as flapping, with an event', async () => {
  let s: any;
  for (let i = 0; i < 8; i++) s = await recheck('app', 'flappy', i % 2 === 0 ? 2 : 0, `flip ${i}`);
  assert.equal(s.flapping, true, `percent state change ${s.percentStateChange}`);
  assert.ok(s.percentStateChange >= 30);
  const ev = await server.get('/api/v1/events?host=app&service=flappy&type=flapping_start');
  assert.equal(ev.body.events.length, 1);
});

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { StewardServer, setPluginState, steward, TEST_PLUGINS } from '../helpers/steward-server.ts';

/**
 * Drives exact state sequences through a running server: a plugin returns what a file says, the
 * check runs only when the test asks for it (recheck), and the API and history must follow
 * Nagios' SOFT/HARD rules step by step.
 */
let server: StewardServer;
let stateFile: string;

const spec = (dir: string) => `
deployment: lifecycle
operatorNetworks: [127.0.0.0/8]
pluginDirs: [${TEST_PLUGINS}, /usr/lib/nagios/plugins]
defaults: { interval: 1h, retryInterval: 1h, maxAttempts: 3, timeout: 5s }
environments:
  - name: prod
    hosts:
      - name: app-1
        address: 127.0.0.1
        checks:
          - name: driven
            plugin: { command: check_from_file, args: ["${join(dir, 'state')}"] }
          - name: dummy
            plugin: { command: check_dummy, args: ["1", "warn from check_dummy"] }
            interval: 200ms
            retryInterval: 200ms
`;

async function step(code: number, output: string): Promise<any> {
  setPluginState(stateFile, code, output);
  const before = await server.service('app-1', 'driven');
  const r = await server.post('/api/v1/recheck', { host: 'app-1', service: 'driven' });
  assert.equal(r.status, 202);
  return await server.waitForService(
    'app-1',
    'driven',
    (s) => s.lastCheck !== before.lastCheck && s.output === output,
  );
}

before(async () => {
  server = new StewardServer('');
  stateFile = join(server.dir, 'state');
  setPluginState(stateFile, 0, 'all good');
  server.writeSpec(spec(server.dir));
  await server.start();
});

after(async () => {
  await server.cleanup();
});

test('a real plugin (check_dummy) runs on its interval and its state shows in the API', async () => {
  const s = await server.waitForService(
    'app-1',
    'dummy',
    (x) => x.state === 'WARNING' && x.stateType === 'HARD',
  );
  assert.equal(s.output, 'WARNING: warn from check_dummy');
  assert.equal(s.attempt, 3);
  assert.equal(s.maxAttempts, 3);
  assert.ok(s.lastHardStateChange);
});

test('OK → CRITICAL ×3 goes SOFT 1, SOFT 2, HARD 3; recovery is a HARD OK', async () => {
  let s = await step(0, 'all good');
  assert.equal(s.state, 'OK');
  assert.equal(s.stateType, 'HARD');

  s = await step(2, 'down 1');
  assert.deepEqual([s.state, s.stateType, s.attempt], ['CRITICAL', 'SOFT', 1]);
  s = await step(2, 'down 2');
  assert.deepEqual([s.state, s.stateType, s.attempt], ['CRITICAL', 'SOFT', 2]);
  s = await step(2, 'down 3');
  assert.deepEqual([s.state, s.stateType, s.attempt], ['CRITICAL', 'HARD', 3]);
  assert.ok(s.lastHardStateChange);
  s = await step(2, 'still down');
  assert.deepEqual([s.state, s.stateType, s.attempt], ['CRITICAL', 'HARD', 3]);

  s = await step(0, 'back');
  assert.deepEqual([s.state, s.stateType, s.attempt], ['OK', 'HARD', 1]);

  const ev = await server.get('/api/v1/events?host=app-1&service=driven&type=state');
  const seq = ev.body.events
    .reverse()
    .map((e: any) => `${e.state}/${e.stateType}/${e.attempt}${e.hard ? '!' : ''}`);
  // Nagios logs every SOFT attempt, then the HARD change and the HARD recovery.
  assert.deepEqual(seq, ['CRITICAL/SOFT/1', 'CRITICAL/SOFT/2', 'CRITICAL/HARD/3!', 'OK/HARD/1!']);
  const hard = await server.get('/api/v1/events?host=app-1&service=driven&hard=true');
  assert.equal(hard.body.events.length, 2);
});

test('a SOFT problem that recovers never becomes a HARD state change', async () => {
  const before = (await server.get('/api/v1/events?host=app-1&service=driven&hard=true')).body.events.length;
  await step(1, 'blip');
  const s = await step(0, 'fine again');
  assert.equal(s.state, 'OK');
  const hard = (await server.get('/api/v1/events?host=app-1&service=driven&hard=true')).body.events.length;
  assert.equal(hard, before);
});

test('acknowledgements: normal goes on a state change, sticky stays until recovery', async () => {
  for (let i = 0; i < 3; i++) await step(1, `warn ${i}`);
  let r = await server.post('/api/v1/acknowledgements', {
    host: 'app-1',
    service: 'driven',
    comment: 'looking',
  });
  assert.equal(r.status, 201);
  let s = await server.service('app-1', 'driven');
  assert.equal(s.acknowledged, true);
  assert.equal(s.acknowledgement.author, 'test');
  s = await step(2, 'worse');
  assert.equal(s.state, 'CRITICAL');
  assert.equal(s.acknowledged, false, 'a normal ack is removed when the state changes');

  r = await server.post('/api/v1/acknowledgements', {
    host: 'app-1',
    service: 'driven',
    comment: 'on it',
    sticky: true,
  });
  assert.equal(r.status, 201);
  s = await step(1, 'better but not well');
  assert.equal(s.acknowledged, true, 'a sticky ack survives a change between problem states');
  s = await step(0, 'recovered');
  assert.equal(s.acknowledged, false, 'recovery removes a sticky ack');

  r = await server.post('/api/v1/acknowledgements', {
    host: 'app-1',
    service: 'driven',
    comment: 'nothing to ack',
  });
  assert.equal(r.status, 409, 'an OK service cannot be acknowledged');

  const ev = await server.get(
    '/api/v1/events?host=app-1&service=driven&type=acknowledgement,acknowledgement_removed',
  );
  assert.deepEqual(
    ev.body.events.reverse().map((e: any) => e.type),
    ['acknowledgement', 'acknowledgement_removed', 'acknowledgement', 'acknowledgement_removed'],
  );
});

test('comments are added, listed and deleted', async () => {
  const r = await server.post('/api/v1/comments', {
    host: 'app-1',
    service: 'driven',
    text: 'disk swapped on Tuesday',
  });
  assert.equal(r.status, 201);
  let list = await server.get('/api/v1/comments?host=app-1&service=driven');
  assert.ok(list.body.comments.some((c: any) => c.text === 'disk swapped on Tuesday' && c.author === 'test'));
  const del = await server.request('DELETE', `/api/v1/comments/${r.body.id}`);
  assert.equal(del.status, 200);
  list = await server.get('/api/v1/comments?host=app-1&service=driven');
  assert.ok(!list.body.comments.some((c: any) => c.id === r.body.id));
});

test('a fixed downtime starts and ends on time, with events', async () => {
  const r = await server.post('/api/v1/downtimes', {
    host: 'app-1',
    service: 'driven',
    duration: '2s',
    comment: 'patching',
  });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const id = r.body.downtimes[0].id;
  let s = await server.waitForService('app-1', 'driven', (x) => x.inDowntime === true, 3000);
  assert.equal(s.inDowntime, true);
  s = await server.waitForService('app-1', 'driven', (x) => x.inDowntime === false, 6000);
  // Events are written in the engine's next batch (a few ms after the status changes in memory).
  let types: string[] = [];
  for (let i = 0; i < 40 && types.length < 2; i++) {
    const ev = await server.get('/api/v1/events?host=app-1&service=driven&type=downtime_start,downtime_end');
    types = ev.body.events.reverse().map((e: any) => e.type);
    if (types.length < 2) await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(types, ['downtime_start', 'downtime_end']);
  const all = await server.get('/api/v1/downtimes?all=true');
  const d = all.body.downtimes.find((x: any) => x.id === id);
  assert.ok(d.startedAt && d.endedAt);
});

test('a cancelled downtime ends at once', async () => {
  const r = await server.post('/api/v1/downtimes', {
    host: 'app-1',
    duration: '1h',
    comment: 'maintenance',
    includeServices: true,
  });
  assert.equal(r.status, 201);
  assert.ok(r.body.downtimes.length >= 3, 'host and its services');
  const hostDowntime = r.body.downtimes.find((d: any) => d.objectId === 'app-1');
  await server.waitForService('app-1', 'dummy', (x) => x.inDowntime === true, 3000);
  for (const d of r.body.downtimes) {
    const del = await server.request('DELETE', `/api/v1/downtimes/${d.id}`);
    assert.equal(del.status, 200);
  }
  const s = await server.service('app-1', 'dummy');
  assert.equal(s.inDowntime, false);
  const again = await server.request('DELETE', `/api/v1/downtimes/${hostDowntime.id}`);
  assert.equal(again.status, 404);
});

test('steward status prints the problems; steward check runs one check and exits with its state', () => {
  const st = steward(['status', '--data', server.dataDir, '--json']);
  assert.equal(st.code, 0, st.stderr);
  const rows = JSON.parse(st.stdout);
  assert.ok(rows.some((r: any) => r.host === 'app-1' && r.service === 'dummy' && r.state === 'WARNING'));
  const table = steward(['status', '--data', server.dataDir]);
  assert.match(table.stdout, /app-1\s+dummy\s+WARNING/);

  const ck = steward(['check', 'app-1/dummy', '--spec', server.specFile]);
  assert.equal(ck.code, 1);
  assert.match(ck.stdout, /^WARNING: WARNING: warn from check_dummy/);
});

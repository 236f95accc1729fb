import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, test } from 'node:test';
import { StewardServer } from '../helpers/steward-server.ts';
import { RecordingReceiver } from './recording-receiver.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

function spec(hookUrl: string): string {
  return `
deployment: acme
operatorNetworks: [127.0.0.0/8]
environments:
  - name: prod
    hosts:
      - name: web-1
        address: 127.0.0.1
        checks:
          - { name: app, passive: {}, maxAttempts: 1 }
          - { name: disk, passive: {}, maxAttempts: 2 }
alerting:
  groupWait: 0s
  groupInterval: 1s
  externalUrl: https://steward.example.com
  receivers:
    - name: hook
      webhook: { url: "${hookUrl}", secret: s3cret }
`;
}

test('a HARD problem and its recovery reach the webhook as signed Alertmanager v4 payloads', async () => {
  const hook = await new RecordingReceiver().start();
  const server = new StewardServer(spec(hook.url('/alerts')));
  cleanups.push(
    () => hook.stop(),
    () => server.cleanup(),
  );
  await server.start();

  // SOFT (attempt 1 of 2) does not notify; HARD does.
  await server.post('/api/v1/results', {
    host: 'web-1',
    service: 'disk',
    state: 'WARNING',
    output: 'disk 91%',
  });
  await server.post('/api/v1/results', {
    host: 'web-1',
    service: 'app',
    state: 'CRITICAL',
    output: 'connection refused',
  });
  const [first] = await hook.waitFor((all) => all.length >= 1);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(hook.received.length, 1, 'the SOFT disk warning must not notify');
  const body = first!.body;
  assert.equal(first!.path, '/alerts');
  assert.equal(body.version, '4');
  assert.equal(body.status, 'firing');
  assert.equal(body.receiver, 'hook');
  assert.equal(body.alerts.length, 1);
  const alert = body.alerts[0];
  assert.equal(alert.status, 'firing');
  assert.equal(alert.labels.host, 'web-1');
  assert.equal(alert.labels.service, 'app');
  assert.equal(alert.labels.severity, 'critical');
  assert.equal(alert.annotations.description, 'connection refused');
  assert.equal(alert.endsAt, '0001-01-01T00:00:00Z');
  assert.match(alert.generatorURL, /^https:\/\/steward\.example\.com\//);
  const expected = `sha256=${createHmac('sha256', 's3cret').update(first!.raw).digest('hex')}`;
  assert.equal(first!.headers['x-steward-signature'], expected);

  await server.post('/api/v1/results', { host: 'web-1', service: 'app', state: 'OK', output: 'back' });
  const all = await hook.waitFor((r) => r.length >= 2);
  const resolved = all[1]!.body;
  assert.equal(resolved.status, 'resolved');
  assert.equal(resolved.alerts[0].status, 'resolved');
  assert.notEqual(resolved.alerts[0].endsAt, '0001-01-01T00:00:00Z');

  const metrics = await server.get('/metrics');
  assert.match(String(metrics.body), /steward_notifications_outbox\{status="delivered"\} 2/);
});

/**
 * kill -9 with hundreds of notifications in flight to a slow receiver, then a restart: at the
 * receiver nothing is lost, and the only repeats are ones its dedup key makes harmless (PagerDuty
 * dedup_key: the same incident), at most one per delivery that was in flight at the kill.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { StewardServer } from '../helpers/steward-server.ts';
import { RecordingReceiver } from './recording-receiver.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

const SERVICES = 300;

function spec(url: string): string {
  const checks = Array.from(
    { length: SERVICES },
    (_, i) => `          - { name: s${i}, passive: {}, maxAttempts: 1, freshness: 1h }`,
  ).join('\n');
  return `
deployment: acme
operatorNetworks: [127.0.0.0/8]
environments:
  - name: prod
    hosts:
      - name: app
        address: 127.0.0.1
        checks:
${checks}
alerting:
  groupWait: 0s
  groupInterval: 1s
  groupBy: ["..."]
  receivers:
    - name: pd
      pagerduty: { routingKey: R0UTINGKEY, url: "${url}" }
`;
}

test('crash: kill -9 with notifications in flight, restart: none lost, repeats only on the same dedup_key', async () => {
  const pd = await new RecordingReceiver((r) => ({
    status: 202,
    body: JSON.stringify({ status: 'success', message: 'Event processed', dedup_key: r.body.dedup_key }),
    delayMs: 60,
  })).start();
  const server = new StewardServer(spec(pd.url('/v2/enqueue')));
  cleanups.push(
    () => pd.stop(),
    () => server.cleanup(),
  );
  await server.start();

  const results = Array.from({ length: SERVICES }, (_, i) => ({
    host: 'app',
    service: `s${i}`,
    state: 'CRITICAL',
    output: 'down',
  }));
  assert.equal((await server.post('/api/v1/results', results)).status, 202);
  await pd.waitFor((all) => all.length >= 40, 15_000);
  await server.stop('SIGKILL');
  const atKill = pd.received.length;
  await new Promise((r) => setTimeout(r, 300)); // deliveries in flight still reach the receiver
  assert.ok(atKill < SERVICES, `the kill came while notifications were in flight (${atKill} delivered)`);

  await server.start();
  const triggers = () => pd.received.filter((r) => r.body.event_action === 'trigger');
  const uniqueKeys = () => new Set(triggers().map((r) => r.body.dedup_key));
  await pd.waitFor(() => uniqueKeys().size >= SERVICES, 30_000);
  await new Promise((r) => setTimeout(r, 1500));
  const keys = uniqueKeys();
  assert.equal(keys.size, SERVICES, 'none lost');
  const repeats = triggers().length - keys.size;
  // Only deliveries in flight at the kill (8 per receiver at most) can be sent again, and the
  // PagerDuty dedup_key makes each repeat update the same incident.
  assert.ok(repeats <= 8, `at most the in-flight deliveries repeat, got ${repeats}`);
  process.stdout.write(
    `# crash test: ${atKill} delivered before kill -9, ${repeats} harmless repeat(s) on the same dedup_key\n`,
  );

  // The restarted server still owes and sends every recovery.
  assert.equal(
    (
      await server.post(
        '/api/v1/results',
        results.map((r) => ({ ...r, state: 'OK' })),
      )
    ).status,
    202,
  );
  const resolves = () =>
    new Set(pd.received.filter((r) => r.body.event_action === 'resolve').map((r) => r.body.dedup_key));
  await pd.waitFor(() => resolves().size >= SERVICES, 30_000);
  assert.deepEqual([...resolves()].sort(), [...keys].sort());
});

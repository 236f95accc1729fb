/**
 * A storm through a running steward serve: 1,000 services go CRITICAL together. Grouping must turn
 * them into a few messages listing every alert; what lies behind a DOWN host stays quiet; and every
 * recovery must arrive.
 */
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { StewardServer } from '../helpers/steward-server.ts';
import { RecordingReceiver } from './recording-receiver.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

const HOSTS = 10;
const CHECKS = 100;

function spec(hookUrl: string): string {
  const checks = Array.from(
    { length: CHECKS },
    (_, i) => `      - { name: c${i}, passive: {}, maxAttempts: 1, freshness: 1h }`,
  ).join('\n');
  const host = (name: string) =>
    `      - { name: ${name}, address: 127.0.0.1, roles: [app], hostCheck: { passive: {}, maxAttempts: 1, freshness: 1h } }`;
  const prod = Array.from({ length: HOSTS / 2 }, (_, i) => host(`prod-${i}`)).join('\n');
  const test = Array.from({ length: HOSTS / 2 }, (_, i) => host(`test-${i}`)).join('\n');
  return `
deployment: acme
operatorNetworks: [127.0.0.0/8]
roles:
  app:
    checks:
${checks}
environments:
  - name: prod
    hosts:
${prod}
      - { name: bastion, address: 127.0.0.1, hostCheck: { passive: {}, maxAttempts: 1, freshness: 1h } }
      - { name: behind, address: 127.0.0.1, parents: [bastion], hostCheck: { passive: {}, maxAttempts: 1, freshness: 1h } }
  - name: test
    hosts:
${test}
alerting:
  groupWait: 2s
  groupInterval: 1s
  groupBy: [environment]
  receivers:
    - name: hook
      webhook: { url: "${hookUrl}" }
`;
}

test('storm: 1,000 CRITICAL services → a few grouped messages, quiet behind a DOWN host, every recovery delivered', async () => {
  const hook = await new RecordingReceiver().start();
  const server = new StewardServer(spec(hook.url('/hook')));
  cleanups.push(
    () => hook.stop(),
    () => server.cleanup(),
  );
  await server.start();

  // Hosts up first, then the bastion goes down (behind it: UNREACHABLE), and prod-0 goes DOWN.
  const hostResults = (state: (h: string) => string) =>
    [
      ...Array.from({ length: HOSTS / 2 }, (_, i) => [`prod-${i}`, `test-${i}`]).flat(),
      'bastion',
      'behind',
    ].map((h) => ({
      host: h,
      state: state(h),
      output: 'host check',
    }));
  let r = await server.post(
    '/api/v1/results',
    hostResults(() => 'UP'),
  );
  assert.equal(r.status, 202, JSON.stringify(r.body));
  r = await server.post(
    '/api/v1/results',
    hostResults((h) => (h === 'bastion' || h === 'behind' || h === 'prod-0' ? 'DOWN' : 'UP')),
  );
  assert.equal(r.status, 202);
  // (a passive DOWN result stays DOWN; the host behind the bastion is quiet either way)

  const services = Array.from({ length: HOSTS / 2 }, (_, i) => [`prod-${i}`, `test-${i}`])
    .flat()
    .flatMap((h) =>
      Array.from({ length: CHECKS }, (_, c) => ({
        host: h,
        service: `c${c}`,
        state: 'CRITICAL',
        output: `storm ${h} c${c}`,
      })),
    );
  assert.equal(services.length, 1000);
  r = await server.post('/api/v1/results', services);
  assert.equal(r.status, 202, JSON.stringify(r.body));

  const expectedFiring = new Set(
    services.filter((s) => s.host !== 'prod-0').map((s) => `${s.host}/${s.service}`),
  );
  const firingSeen = () => {
    const seen = new Set<string>();
    for (const m of hook.received)
      for (const a of m.body.alerts) if (a.status === 'firing') seen.add(a.fingerprint);
    return seen;
  };
  await hook.waitFor(() => [...expectedFiring].every((id) => firingSeen().has(id)), 20_000);
  await new Promise((res) => setTimeout(res, 1500));
  const firing = firingSeen();
  assert.ok(hook.received.length <= 4, `grouped into a few messages, got ${hook.received.length}`);
  for (const m of hook.received) assert.ok(['prod', 'test'].includes(m.body.groupLabels.environment));
  assert.equal(firing.has('prod-0'), true, 'the DOWN host itself is told');
  assert.equal(firing.has('bastion'), true);
  assert.equal(firing.has('behind'), false, 'the host behind the down bastion is quiet');
  assert.equal(
    [...firing].filter((id) => id.startsWith('prod-0/')).length,
    0,
    'services of the DOWN host are quiet',
  );
  assert.equal(firing.size, 900 + 2);

  // Everything recovers: every recovery is delivered, and nothing more.
  const before = hook.received.length;
  await server.post(
    '/api/v1/results',
    hostResults(() => 'UP'),
  );
  await server.post(
    '/api/v1/results',
    services.map((s) => ({ ...s, state: 'OK', output: 'fine' })),
  );
  const resolvedSeen = () => {
    const seen = new Set<string>();
    for (const m of hook.received.slice(before))
      for (const a of m.body.alerts) if (a.status === 'resolved') seen.add(a.fingerprint);
    return seen;
  };
  await hook.waitFor(() => resolvedSeen().size >= 902, 20_000);
  const resolved = resolvedSeen();
  assert.deepEqual([...resolved].sort(), [...firing].sort(), 'exactly the notified problems recover');
  assert.ok(
    hook.received.length - before <= 6,
    `recoveries grouped too, got ${hook.received.length - before}`,
  );
});

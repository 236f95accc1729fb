import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { formatSpecError, loadSpec } from '../../src/spec/index.ts';
import { dashboardPolicy } from '../../src/web/access/dashboard-policy.ts';
import { StewardServer, steward } from '../helpers/steward-server.ts';
import { writeFixture } from '../spec/fixture.ts';
import { addUser, enrol, WebClient } from './helpers/dashboard.ts';

/** `access.dashboard`: session expiry and sign-in lockout from the spec, applied again on reload. */
const PASSWORD = 'a long enough passphrase';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function specWith(dashboard: string): string {
  return `deployment: policy
operatorNetworks: [127.0.0.1/32]
environments:
  - name: prod
    hosts:
      - { name: web-1, address: 127.0.0.1 }
${dashboard ? `access:\n  dashboard: ${dashboard}\n` : ''}`;
}

describe('access.dashboard in the spec', () => {
  test('no key keeps the defaults: 30 min idle, 12 h absolute, lock after 5 failures for 15 min', () => {
    assert.deepEqual(dashboardPolicy(undefined), {
      session: { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 },
      login: { maxFailures: 5, lockMs: 15 * 60_000, perAddressFailures: 20, windowMs: 15 * 60_000 },
    });
  });

  test('durations and counts resolve to milliseconds; unset keys keep their default', () => {
    const f = writeFixture({
      'steward.yaml': specWith(
        '{ sessionIdle: 10m, sessionMax: 8h, loginLockout: { userFailures: 3, lockFor: 1h } }',
      ),
    });
    const r = loadSpec(f.main);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
    assert.deepEqual(r.deployment.dashboard, {
      sessionIdleMs: 600_000,
      sessionMaxMs: 28_800_000,
      userFailures: 3,
      lockMs: 3_600_000,
    });
    assert.deepEqual(dashboardPolicy(r.deployment.dashboard), {
      session: { idleMs: 600_000, absoluteMs: 28_800_000 },
      login: { maxFailures: 3, lockMs: 3_600_000, perAddressFailures: 20, windowMs: 15 * 60_000 },
    });
  });

  test('TOTP cannot be turned off, and an idle expiry longer than the maximum is refused, located', () => {
    const errors = (text: string) => {
      const r = loadSpec(writeFixture({ 'steward.yaml': text }).main);
      assert.equal(r.ok, false);
      return r.ok ? '' : r.errors.map(formatSpecError).join('\n');
    };
    const totp = errors(specWith('{ totp: optional }'));
    assert.match(
      totp,
      /steward\.yaml:8:\d+: error: access\.dashboard\.totp: the dashboard always requires a TOTP second factor/,
    );
    assert.match(totp, /totp-reset/);
    const text = errors(specWith('{ sessionIdle: 2h, sessionMax: 1h }'));
    assert.match(text, /sessionIdle \(2h\) is longer than sessionMax \(1h\)/);
    assert.match(text, /steward\.yaml:8:\d+: error: access\.dashboard\.sessionIdle/);
  });
});

describe('access.dashboard in a running server', () => {
  let server: StewardServer;

  before(async () => {
    server = new StewardServer(
      specWith('{ sessionIdle: 3s, loginLockout: { userFailures: 2, lockFor: 1h } }'),
    );
    await server.start();
    addUser(server, 'ana', PASSWORD, '*=admin');
    addUser(server, 'bob', PASSWORD, '*=viewer');
  });

  after(async () => {
    await server?.cleanup();
  });

  const auditOf = async (action: string) => {
    const r = await server.get(`/api/v1/audit?action=${action}`);
    assert.equal(r.status, 200);
    return r.body.entries as { target: string; outcome: string; details: Record<string, unknown> }[];
  };

  test('a session used within sessionIdle lives on; left alone longer, it ends (401, audited as idle)', async () => {
    const c = new WebClient(server);
    await enrol(c, 'ana', PASSWORD);
    // Active for longer than the idle expiry: each request restarts the idle clock.
    const until = Date.now() + 4_500;
    while (Date.now() < until) {
      assert.equal((await c.get('/ui/api/overview')).status, 200);
      await sleep(400);
    }
    await sleep(3_500);
    const r = await c.get('/ui/api/overview');
    assert.equal(r.status, 401);
    assert.equal((await c.get('/')).headers.location, '/login');
    const expired = (await auditOf('session_expired')).filter((e) => e.target === 'ana');
    assert.equal(expired[0]?.details.reason, 'idle');
  });

  test('loginLockout.userFailures wrong passwords lock the account, even for the right password', async () => {
    const c = new WebClient(server);
    for (let i = 0; i < 2; i++) {
      const r = await c.send('POST', '/login', {
        form: { user: 'bob', password: 'not the password', code: '' },
      });
      assert.equal(r.status, 401);
    }
    const r = await c.send('POST', '/login', { form: { user: 'bob', password: PASSWORD, code: '' } });
    assert.equal(r.status, 401);
    const failures = (await auditOf('login_failed')).filter((e) => e.target === 'bob');
    assert.ok(
      failures.some((e) => String(e.details.reason).endsWith('locked for 1h')),
      JSON.stringify(failures),
    );
    assert.ok(
      failures.some((e) => e.details.reason === 'locked'),
      JSON.stringify(failures),
    );
  });

  test('a reload applies a new sessionMax at once, to sessions that already exist too', async () => {
    const c = new WebClient(server);
    addUser(server, 'carol', PASSWORD, '*=viewer');
    await enrol(c, 'carol', PASSWORD);
    assert.equal((await c.get('/ui/api/overview')).status, 200);
    server.writeSpec(specWith('{ sessionIdle: 2s, sessionMax: 2s }'));
    const reload = steward(['reload', '--data', server.dataDir]);
    assert.equal(reload.code, 0, reload.stderr + reload.stdout);
    // Busy all along, yet the session ends once it is older than the new maximum (bounded wait).
    const deadline = Date.now() + 15_000;
    let status = 200;
    while (status === 200 && Date.now() < deadline) {
      status = (await c.get('/ui/api/overview')).status;
      if (status === 200) await sleep(250);
    }
    assert.equal(status, 401);
    const expired = (await auditOf('session_expired')).filter((e) => e.target === 'carol');
    assert.equal(expired[0]?.details.reason, 'absolute expiry');
  });

  test('the log: routine requests at debug (not in an info log), refused ones at warn', () => {
    const lines = server.logs.split('\n').filter((l) => l.includes('"msg":"request completed"'));
    assert.doesNotMatch(server.logs, /incoming request/);
    assert.deepEqual(
      lines.filter((l) => l.includes('"status":200')),
      [],
      'hundreds of 200s above, none logged',
    );
    assert.ok(
      lines.some(
        (l) => l.includes('"level":"warn"') && l.includes('"status":401') && l.includes('/ui/api/overview'),
      ),
      lines.join('\n'),
    );
    assert.doesNotMatch(server.logs, new RegExp(PASSWORD));
  });
});

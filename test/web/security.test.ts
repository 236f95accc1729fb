import assert from 'node:assert/strict';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, test } from 'node:test';
import { connect } from 'node:tls';
import { totpCode } from '../../src/auth/index.ts';
import { StewardServer, setPluginState, TEST_PLUGINS } from '../helpers/steward-server.ts';
import { addUser, csrfOf, enrol, WebClient } from './helpers/dashboard.ts';

/** The dashboard's access control against a real `steward serve`: each refusal is audited. */
let server: StewardServer;
const PASSWORD = 'correct horse battery staple';
const secrets: string[] = [PASSWORD];

before(async () => {
  server = new StewardServer('');
  setPluginState(join(server.dir, 'svc'), 2, 'CRITICAL - disk full');
  server.writeSpec(`
deployment: security
operatorNetworks: [127.0.0.1/32]
pluginDirs: [${TEST_PLUGINS}]
defaults: { interval: 1h, maxAttempts: 1 }
environments:
  - name: prod
    hosts:
      - name: db-1
        address: 127.0.0.1
        checks:
          - { name: disk, plugin: { command: check_from_file, args: ["${join(server.dir, 'svc')}"] } }
  - name: dev
    hosts:
      - name: dev-1
        address: 127.0.0.1
        checks:
          - { name: disk, plugin: { command: check_from_file, args: ["${join(server.dir, 'svc')}"] } }
`);
  await server.start();
  addUser(server, 'admin', PASSWORD, '*=admin');
  addUser(server, 'viewer', PASSWORD, 'prod=viewer,dev=operator');
  addUser(server, 'mallory', PASSWORD, 'dev=operator');
});

after(async () => {
  await server.cleanup();
});

async function auditOf(action?: string) {
  const r = await server.get(`/api/v1/audit${action ? `?action=${action}` : ''}`);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.entries as { actor: string; action: string; target: string; outcome: string; details: any }[];
}

test('a client outside operatorNetworks is closed before the TLS handshake completes, counted and logged', async () => {
  const outcome = await new Promise<string>((done) => {
    const raw = netConnect({ host: '127.0.0.1', port: server.port, localAddress: '127.0.0.2' });
    const s = connect({ socket: raw, rejectUnauthorized: false });
    s.once('secureConnect', () => {
      s.destroy();
      done('handshake completed');
    });
    s.once('error', (err: NodeJS.ErrnoException) => done(err.code ?? err.message));
    s.once('close', () => done('closed'));
  });
  assert.notEqual(outcome, 'handshake completed');
  const metrics = await server.get('/metrics', null);
  assert.match(metrics.body, /steward_http_refused_connections_total 1\b/);
  assert.match(server.logs, /connection refused before TLS.*|"source":"127\.0\.0\.2"/);
  assert.match(server.logs, /127\.0\.0\.2/);
});

test('GET / redirects to /login without a session; enrolment with a QR code gives a full session', async () => {
  const c = new WebClient(server);
  const r = await c.get('/');
  assert.equal(r.status, 303);
  assert.equal(r.headers.location, '/login');
  assert.match(String(r.headers['strict-transport-security']), /max-age=/);
  const { secret, recovery } = await enrol(c, 'admin', PASSWORD);
  secrets.push(secret.toString('hex'));
  assert.equal(recovery.length, 10);
  const cookie = c.cookie;
  assert.match(cookie, /^__Host-steward_session=/);
  const home = await c.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /data-page="overview"/);
  const overview = await c.get('/ui/api/overview');
  assert.equal(overview.status, 200);
  assert.deepEqual(overview.json.environments.map((e: { name: string }) => e.name).sort(), ['dev', 'prod']);
  // A recovery code signs in once, then never again.
  const other = new WebClient(server);
  const first = await other.send('POST', '/login', {
    form: { user: 'admin', password: PASSWORD, code: recovery[0]! },
  });
  assert.equal(first.status, 303);
  assert.equal(first.headers.location, '/');
  const again = await new WebClient(server).send('POST', '/login', {
    form: { user: 'admin', password: PASSWORD, code: recovery[0]! },
  });
  assert.equal(again.status, 401);
});

test('a sign-in form posted from another site is refused and audited (login CSRF)', async () => {
  const r = await new WebClient(server).send('POST', '/login', {
    form: { user: 'admin', password: PASSWORD, code: '' },
    headers: { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
  });
  assert.equal(r.status, 403);
  assert.equal(r.headers['set-cookie'], undefined);
  const failed = await auditOf('login_failed');
  assert.ok(failed.some((e) => e.target === 'admin' && e.details.reason === 'cross-site form'));
});

test('cookies are Secure, HttpOnly, SameSite=Strict', async () => {
  const c = new WebClient(server);
  const r = await c.send('POST', '/login', { form: { user: 'mallory', password: PASSWORD, code: '' } });
  const set = String(r.headers['set-cookie']);
  for (const attr of ['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/'])
    assert.ok(set.includes(attr), `${attr} in ${set}`);
});

test('wrong password, wrong TOTP and a replayed TOTP are refused and audited', async () => {
  const c = new WebClient(server);
  const { secret, code: usedCode } = await enrol(c, 'viewer', PASSWORD);
  secrets.push(secret.toString('hex'));
  const tries = [
    { password: 'not the password!', code: totpCode(secret, Date.now() + 30_000), reason: 'wrong password' },
    {
      password: PASSWORD,
      code: '000000' === totpCode(secret, Date.now()) ? '111111' : '000000',
      reason: 'wrong TOTP code',
    },
    { password: PASSWORD, code: usedCode, reason: 'replayed TOTP code' },
  ];
  for (const t of tries) {
    const r = await new WebClient(server).send('POST', '/login', {
      form: { user: 'viewer', password: t.password, code: t.code },
    });
    assert.equal(r.status, 401, t.reason);
    assert.match(r.text, /wrong user name, password or code/);
    assert.equal(r.headers['set-cookie'], undefined);
  }
  const failed = await auditOf('login_failed');
  for (const t of tries) {
    assert.ok(
      failed.some((e) => e.target === 'viewer' && e.outcome === 'refused' && e.details.reason === t.reason),
      `audit has "${t.reason}": ${JSON.stringify(failed)}`,
    );
  }
  // The code of the next step (within the allowed drift) still signs in: nothing was locked yet.
  const ok = await new WebClient(server).send('POST', '/login', {
    form: { user: 'viewer', password: PASSWORD, code: totpCode(secret, Date.now() + 30_000) },
  });
  assert.equal(ok.status, 303);
});

test('actions need the CSRF token, the operator role, and the environment; every refusal is audited', async () => {
  const c = new WebClient(server);
  const { secret } = await enrol(c, 'mallory', PASSWORD);
  secrets.push(secret.toString('hex'));
  const csrf = csrfOf((await c.get('/')).text);
  assert.ok(csrf.length > 20);
  const noCsrf = await c.send('POST', '/ui/api/action', { json: { action: 'recheck', id: 'dev-1/disk' } });
  assert.equal(noCsrf.status, 403);
  // mallory has no role in prod: prod is invisible and untouchable.
  const otherEnv = await c.send('POST', '/ui/api/action', {
    json: { action: 'ack', id: 'db-1/disk', comment: 'x' },
    headers: { 'x-csrf-token': csrf },
  });
  assert.equal(otherEnv.status, 403);
  const view = await c.get(`/ui/api/object?id=${encodeURIComponent('db-1/disk')}`);
  assert.equal(view.status, 404);
  const rows = await c.get('/ui/api/objects?kind=service');
  assert.deepEqual(
    rows.json.rows.map((r: unknown[]) => r[0]),
    ['dev-1/disk'],
  );
  const ok = await c.send('POST', '/ui/api/action', {
    json: { action: 'comment', id: 'dev-1/disk', comment: 'looking' },
    headers: { 'x-csrf-token': csrf },
  });
  assert.equal(ok.status, 200, ok.text);
  const silence = await c.send('POST', '/ui/api/action', {
    json: { action: 'silence', id: 'dev-1/disk', duration: '1h', comment: 'noisy during migration' },
    headers: { 'x-csrf-token': csrf },
  });
  assert.equal(silence.status, 200, silence.text);
  const silences = await server.get('/api/v1/silences');
  assert.ok(
    JSON.stringify(silences.body).includes('"service":"dev-1/disk"') ||
      JSON.stringify(silences.body).includes('"service":"disk"'),
    JSON.stringify(silences.body),
  );
  const entries = await auditOf();
  assert.ok(entries.some((e) => e.actor === 'mallory' && e.action === 'silence' && e.outcome === 'ok'));
  const refused = entries
    .filter((e) => e.outcome === 'refused')
    .map((e) => `${e.actor} ${e.action} ${e.target} ${e.details.reason}`);
  assert.ok(refused.includes('mallory recheck dev-1/disk missing or wrong CSRF token'), refused.join('\n'));
  assert.ok(
    refused.includes('mallory ack db-1/disk no operator role in environment prod'),
    refused.join('\n'),
  );
  assert.ok(refused.includes('mallory view db-1/disk no role in environment prod'), refused.join('\n'));
  assert.ok(entries.some((e) => e.actor === 'mallory' && e.action === 'comment' && e.outcome === 'ok'));
});

test('a viewer may look but not act; an expired session is refused; both audited', async () => {
  addUser(server, 'sleepy', PASSWORD, 'prod=viewer');
  const c = new WebClient(server);
  const { secret } = await enrol(c, 'sleepy', PASSWORD);
  secrets.push(secret.toString('hex'));
  const csrf = csrfOf((await c.get('/')).text);
  const look = await c.get(`/ui/api/object?id=${encodeURIComponent('db-1/disk')}`);
  assert.equal(look.status, 200);
  const act = await c.send('POST', '/ui/api/action', {
    json: { action: 'recheck', id: 'db-1/disk' },
    headers: { 'x-csrf-token': csrf },
  });
  assert.equal(act.status, 403);
  // Idle past the limit: the session's last activity moved 31 minutes back, as if the user left.
  const db = new DatabaseSync(join(server.dataDir, 'steward.db'));
  db.exec('PRAGMA busy_timeout = 5000');
  db.prepare(
    'UPDATE sessions SET last_seen_at = ? WHERE user_id = (SELECT id FROM users WHERE name = ?)',
  ).run(Date.now() - 31 * 60_000, 'sleepy');
  db.close();
  const expired = await c.get('/ui/api/overview');
  assert.equal(expired.status, 401);
  const page = await c.get('/');
  assert.equal(page.status, 303);
  assert.equal(page.headers.location, '/login');
  const entries = await auditOf();
  assert.ok(entries.some((e) => e.actor === 'sleepy' && e.action === 'recheck' && e.outcome === 'refused'));
  assert.ok(
    entries.some((e) => e.actor === 'sleepy' && e.action === 'session_expired' && e.outcome === 'refused'),
  );
});

test('five wrong passwords lock the account, even against the right one', async () => {
  addUser(server, 'locked', PASSWORD, 'dev=viewer');
  for (let i = 0; i < 5; i++) {
    const r = await new WebClient(server).send('POST', '/login', {
      form: { user: 'locked', password: `guess-${i}`, code: '' },
    });
    assert.equal(r.status, 401);
  }
  const right = await new WebClient(server).send('POST', '/login', {
    form: { user: 'locked', password: PASSWORD, code: '' },
  });
  assert.equal(right.status, 401);
  const entries = await auditOf('login_failed');
  assert.ok(entries.some((e) => e.target === 'locked' && e.details.reason === 'locked'));
});

test('no secret appears in the log, and no password or TOTP secret in any audit entry', async () => {
  const audit = JSON.stringify(await auditOf());
  for (const secret of secrets) {
    assert.ok(!server.logs.includes(secret), 'a secret in the server log');
    assert.ok(!audit.includes(secret), 'a secret in the audit log');
  }
  assert.ok(!server.logs.includes('__Host-steward_session='), 'a session cookie in the log');
  assert.ok(!/"cookie"/i.test(server.logs), 'request cookies in the log');
});

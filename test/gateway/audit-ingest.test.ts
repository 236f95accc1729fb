// The monitoring server's side of bastion audit shipping, against a real `steward serve`:
// POST /api/v1/audit/events takes audit-writer tokens only (and such a token opens nothing else),
// stores each (source, eventId) once, refuses malformed batches with what is wrong, and lets a
// bastion network given with --audit-from post events and nothing more.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { StewardServer, steward } from '../helpers/steward-server.ts';
import { launchChromium } from '../web/helpers/browser.ts';
import { addUser, enrol, WebClient } from '../web/helpers/dashboard.ts';

const server = new StewardServer(`deployment: acme
operatorNetworks: [127.0.0.1/32]
environments:
  - name: prod
    hosts:
      - { name: web-1, address: 127.0.0.1, checks: [{ name: app, passive: {} }] }
`);
let writer = '';
before(async () => {
  await server.start(['--audit-from', '127.0.0.7/32']);
  const made = steward([
    'token',
    'create',
    '--name',
    'bastion-1',
    '--role',
    'audit-writer',
    '--data',
    server.dataDir,
  ]);
  assert.equal(made.code, 0, made.stderr);
  writer = made.stdout.trim();
});
after(() => server.cleanup());

/** An HTTPS request from a chosen loopback address (127.0.0.7 plays the bastion's subnet). */
function call(
  method: string,
  path: string,
  token: string,
  body?: unknown,
  localAddress = '127.0.0.1',
): Promise<{ status: number; body: any }> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        method,
        path,
        localAddress,
        ca: readFileSync(join(server.dataDir, 'tls/cert.pem'), 'utf8'),
        headers: {
          authorization: `Bearer ${token}`,
          ...(data ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } : {}),
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (text += c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text }),
        );
      },
    );
    req.on('error', reject);
    req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.end(data);
  });
}

const entry = (eventId: string, action = 'gateway.connection') => ({
  eventId,
  time: Date.parse('2026-11-25T10:00:00Z'),
  actor: 'alice',
  action,
  target: 'web-1',
  outcome: 'ok',
  ip: '203.0.113.9',
  details: { conn: 1 },
});

test('audit events are stored once per (source, eventId), tagged with their source', async () => {
  const batch = { source: 'bastion-1', entries: [entry('e-1'), entry('e-2', 'gateway.forward')] };
  const first = await call('POST', '/api/v1/audit/events', writer, batch);
  assert.equal(first.status, 200, JSON.stringify(first.body));
  assert.deepEqual(first.body, { stored: 2, duplicates: 0 });
  // The reporter did not hear the answer and sends again, with one more: only the new one lands.
  const again = await call('POST', '/api/v1/audit/events', writer, {
    source: 'bastion-1',
    entries: [...batch.entries, entry('e-3')],
  });
  assert.deepEqual(again.body, { stored: 1, duplicates: 2 });
  // The same id from another bastion is another event; that bastion has its own token.
  const made = steward([
    'token',
    'create',
    '--name',
    'bastion-2',
    '--role',
    'audit-writer',
    '--data',
    server.dataDir,
  ]);
  assert.equal(made.code, 0, made.stderr);
  const other = await call('POST', '/api/v1/audit/events', made.stdout.trim(), {
    source: 'bastion-2',
    entries: [entry('e-1')],
  });
  assert.deepEqual(other.body, { stored: 1, duplicates: 0 });

  // bastion-1's token cannot write as bastion-2.
  const forged = await call('POST', '/api/v1/audit/events', writer, {
    source: 'bastion-2',
    entries: [entry('e-9')],
  });
  assert.equal(forged.status, 403);
  assert.match(forged.body.message, /token "bastion-1" may post audit events as source "bastion-1" only/);
  const listed = await server.get('/api/v1/audit?source=bastion-1');
  assert.deepEqual(
    listed.body.entries.map((e: { eventId: string }) => e.eventId),
    ['e-3', 'e-2', 'e-1'],
  );
  assert.ok(listed.body.entries.every((e: { source: string }) => e.source === 'bastion-1'));
  assert.equal(listed.body.entries[2].ip, '203.0.113.9');
  const csv = await server.get('/api/v1/audit?source=bastion-2&format=csv');
  assert.match(csv.body, /^id,time,source,actor,/);
  assert.match(csv.body, /,bastion-2,alice,gateway\.connection,web-1,ok,203\.0\.113\.9,/);
  const metrics = (await server.get('/metrics')).body as string;
  assert.match(metrics, /^steward_audit_received_total\{source="bastion-1"\} 3$/m);
  assert.match(metrics, /^steward_audit_duplicates_total\{source="bastion-1"\} 2$/m);
});

test('an audit-writer token writes audit events and nothing else; other tokens cannot write them', async () => {
  assert.equal((await call('GET', '/api/v1/audit', writer)).status, 403);
  assert.equal((await call('GET', '/api/v1/hosts', writer)).status, 403);
  assert.equal((await call('POST', '/api/v1/reload', writer, {})).status, 403);
  const asAdmin = await call('POST', '/api/v1/audit/events', server.token, {
    source: 'x',
    entries: [entry('a')],
  });
  assert.equal(asAdmin.status, 403);
  assert.match(asAdmin.body.message, /needs audit-writer/);
  assert.equal(
    (await call('POST', '/api/v1/audit/events', 'stw_wrong', { source: 'x', entries: [] })).status,
    401,
  );
});

test('malformed batches are refused with what is wrong; `local` cannot be claimed', async () => {
  const local = await call('POST', '/api/v1/audit/events', writer, {
    source: 'local',
    entries: [entry('l')],
  });
  assert.equal(local.status, 400);
  assert.match(local.body.message, /source/);
  const noId = await call('POST', '/api/v1/audit/events', writer, {
    source: 'bastion-1',
    entries: [{ ...entry('x'), eventId: undefined }],
  });
  assert.equal(noId.status, 400);
  assert.match(noId.body.message, /eventId/);
  const tooMany = await call('POST', '/api/v1/audit/events', writer, {
    source: 'bastion-1',
    entries: Array.from({ length: 1001 }, (_, i) => entry(`m-${i}`)),
  });
  assert.equal(tooMany.status, 400);
  assert.match(tooMany.body.message, /1000/);
});

test('--audit-from lets the bastion network post its events, and only that', async () => {
  const fromBastion = await call(
    'POST',
    '/api/v1/audit/events',
    writer,
    { source: 'bastion-1', entries: [entry('from-subnet')] },
    '127.0.0.7',
  );
  assert.deepEqual(fromBastion.body, { stored: 1, duplicates: 0 });
  // Even an admin token reads nothing from there: that network is not an operator's.
  const read = await call('GET', '/api/v1/audit', server.token, undefined, '127.0.0.7');
  assert.equal(read.status, 403);
  assert.match(read.body.message, /not from an operator network/);
  // Any other address outside operatorNetworks is cut before TLS.
  await assert.rejects(
    call('POST', '/api/v1/audit/events', writer, { source: 'bastion-1', entries: [] }, '127.0.0.8'),
    /ECONNRESET|socket hang up|disconnected/,
  );
});

test('the dashboard audit page shows each entry source and filters by it (real Chromium)', async () => {
  addUser(server, 'ops', 'night shift at 3 am', 'admin');
  const web = new WebClient(server);
  await enrol(web, 'ops', 'night shift at 3 am');
  const [name, value] = web.cookie.split('=', 2) as [string, string];
  const { context, close } = await launchChromium();
  try {
    await context.addCookies([
      { name, value, url: `https://127.0.0.1:${server.port}`, secure: true, httpOnly: true },
    ]);
    const page = await context.newPage();
    await page.goto(`https://127.0.0.1:${server.port}/audit?source=bastion-1`);
    await page.waitForSelector('#audit tbody tr');
    const sources = await page.$$eval('#audit tbody tr td:nth-child(2)', (cells) =>
      cells.map((c) => c.textContent),
    );
    assert.deepEqual(sources, ['bastion-1', 'bastion-1', 'bastion-1', 'bastion-1']);
    const options = await page.$$eval('select[name=source] option', (os) => os.map((o) => o.textContent));
    assert.deepEqual(options, ['all', 'local', 'bastion-1', 'bastion-2']);
    assert.equal(
      await page.$eval('select[name=source]', (s) => (s as unknown as { value: string }).value),
      'bastion-1',
    );
    const csv = await page.$eval('a[download]', (a) => a.getAttribute('href'));
    assert.match(csv ?? '', /format=csv.*source=bastion-1/);
    // All sources: the dashboard's own sign-in is there too, as local.
    await page.selectOption('select[name=source]', '');
    await Promise.all([page.waitForURL(/\/audit\?source=$/), page.click('form.toolbar button')]);
    await page.waitForSelector('#audit tbody tr');
    const all = await page.$$eval('#audit tbody tr td:nth-child(2)', (cells) =>
      cells.map((c) => c.textContent),
    );
    assert.ok(all.includes('local') && all.includes('bastion-2'), all.join(' '));
  } finally {
    await close();
  }
});

test('a mistyped --audit-from stops serve with what to write', () => {
  const r = steward([
    'serve',
    '--spec',
    server.specFile,
    '--data',
    server.dataDir,
    '--audit-from',
    '10.20.0.999',
  ]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--audit-from "10\.20\.0\.999" is not a CIDR; write the bastion's address like/);
});

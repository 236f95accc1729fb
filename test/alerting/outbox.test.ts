/**
 * The outbox and its deliverer against a real store and real HTTP peers: Retry-After on 429 is
 * honoured, a dead receiver delays only itself, dedup keys make re-queuing a no-op, and outbound
 * HTTPS goes through HTTPS_PROXY (CONNECT) unless NO_PROXY names the host. Plus the watchdog.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { OutboxDeliverer, specialNotification } from '../../src/alerting/index.ts';
import type { ReceiverModel } from '../../src/core/alerting-model.ts';
import { silentLogger } from '../../src/log/index.ts';
import { sendNotification } from '../../src/notify/index.ts';
import { openSqliteStore } from '../../src/store/index.ts';
import { ensureTlsMaterial } from '../../src/web/index.ts';
import { RecordingReceiver } from './recording-receiver.ts';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('deliverer: 429 Retry-After is honoured, a dead receiver does not hold up others, dedup keys', async () => {
  const store = openSqliteStore(mkdtempSync(join(tmpdir(), 'steward-outbox-')));
  cleanups.push(() => store.close());
  let calls = 0;
  const busy = await new RecordingReceiver(() =>
    ++calls === 1
      ? { status: 429, body: 'rate limited', headers: { 'retry-after': '1' } }
      : { status: 200, body: 'ok' },
  ).start();
  const fine = await new RecordingReceiver().start();
  cleanups.push(
    () => busy.stop(),
    () => fine.stop(),
  );
  const receivers: ReceiverModel[] = [
    { name: 'busy', timeoutMs: 2000, kind: 'webhook', webhook: { url: busy.url('/') } },
    { name: 'fine', timeoutMs: 2000, kind: 'webhook', webhook: { url: fine.url('/') } },
    // Nothing listens on port 9 (discard): connection refused, retried with backoff.
    { name: 'dead', timeoutMs: 2000, kind: 'webhook', webhook: { url: 'http://127.0.0.1:9/' } },
  ];
  const deliverer = new OutboxDeliverer({
    store,
    logger: silentLogger(),
    receivers: () => receivers,
    retry: { baseMs: 200, maxMs: 1000, maxAttempts: 3 },
  });
  const now = Date.now();
  const entry = (receiver: string) => ({
    dedupKey: `${receiver}:1`,
    receiver,
    payload: specialNotification('test', receiver, 'acme', 'https://s.example', now),
    createdAt: now,
  });
  assert.equal(store.enqueueNotifications([entry('busy'), entry('fine'), entry('dead')]), 3);
  assert.equal(store.enqueueNotifications([entry('fine')]), 0, 'the same dedup key is written once');
  const started = Date.now();
  deliverer.start();
  cleanups.push(() => deliverer.stop());
  await fine.waitFor((r) => r.length === 1, 2000);
  assert.ok(Date.now() - started < 1000, 'the dead receiver did not hold up the healthy one');
  await busy.waitFor((r) => r.length === 1, 5000);
  const retried = store.listNotifications().find((n) => n.receiver === 'busy')!;
  assert.equal(retried.status, 'delivered');
  assert.equal(retried.attempts, 2);
  assert.ok(busy.received[0]!.at - started >= 950, 'waited as Retry-After asked');
  await sleep(2500);
  const dead = store.listNotifications().find((n) => n.receiver === 'dead')!;
  assert.equal(dead.status, 'failed', 'given up after maxAttempts');
  assert.equal(dead.attempts, 3);
  assert.match(dead.lastError!, /ECONNREFUSED/);
  const stats = store.outboxStats();
  assert.deepEqual([stats.pending, stats.delivered, stats.failed], [0, 2, 1]);
  assert.equal(
    store.enqueueNotifications([entry('fine')]),
    0,
    'delivered notifications are never queued again',
  );
});

test('HTTPS through HTTPS_PROXY with CONNECT; NO_PROXY bypasses it', async () => {
  const tls = await ensureTlsMaterial(mkdtempSync(join(tmpdir(), 'steward-proxy-')));
  const got: string[] = [];
  const target = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    req.resume();
    req.on('end', () => {
      got.push(req.url ?? '');
      res.end('ok');
    });
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', r));
  const targetPort = (target.address() as { port: number }).port;
  const tunnels: string[] = [];
  const proxy = createHttpServer();
  proxy.on('connect', (req, socket, head) => {
    tunnels.push(req.url ?? '');
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
  const proxyPort = (proxy.address() as { port: number }).port;
  cleanups.push(
    () => new Promise<void>((r) => target.close(() => r())),
    () =>
      new Promise<void>((r) => {
        proxy.closeAllConnections();
        proxy.close(() => r());
      }),
  );
  const receiver: ReceiverModel = {
    name: 'hook',
    timeoutMs: 5000,
    kind: 'webhook',
    webhook: { url: `https://localhost:${targetPort}/via-proxy` },
  };
  const n = specialNotification('test', 'hook', 'acme', 'https://s.example', Date.now());
  const viaProxy = await sendNotification(receiver, n, {
    env: { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}` },
    ca: tls.cert,
  });
  assert.equal(viaProxy.ok, true, viaProxy.response);
  assert.deepEqual(tunnels, [`localhost:${targetPort}`]);
  assert.deepEqual(got, ['/via-proxy']);

  const direct = await sendNotification(
    { ...receiver, webhook: { url: `https://localhost:${targetPort}/direct` } },
    n,
    { env: { HTTPS_PROXY: `http://127.0.0.1:${proxyPort}`, NO_PROXY: 'localhost' }, ca: tls.cert },
  );
  assert.equal(direct.ok, true, direct.response);
  assert.equal(tunnels.length, 1, 'NO_PROXY: no tunnel');
  assert.deepEqual(got, ['/via-proxy', '/direct']);
});

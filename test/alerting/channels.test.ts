/**
 * Every channel against a real peer on loopback: smtp-server (STARTTLS + auth), and HTTP servers
 * speaking the documented Slack, Teams, PagerDuty Events v2 and Opsgenie APIs.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { SMTPServer } from 'smtp-server';
import { type Notification, specialNotification } from '../../src/alerting/index.ts';
import type { ReceiverModel } from '../../src/core/alerting-model.ts';
import { sendNotification } from '../../src/notify/index.ts';
import { ensureTlsMaterial } from '../../src/web/index.ts';
import { RecordingReceiver } from './recording-receiver.ts';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

function notification(status: 'firing' | 'resolved'): Notification {
  const alerts = ['db-1/disk', 'db-2/disk'].map((id) => ({
    status,
    fingerprint: id,
    problemId: `steward/acme/${id}/1700000000000`,
    labels: {
      alertname: 'disk',
      environment: 'prod',
      host: id.split('/')[0]!,
      service: 'disk',
      severity: 'critical',
    },
    annotations: {
      summary: `CRITICAL: disk on ${id.split('/')[0]} (prod)`,
      description: 'DISK CRITICAL - free space: / 3%',
    },
    startsAt: 1_700_000_000_000,
    endsAt: status === 'resolved' ? 1_700_000_600_000 : null,
    notificationNumber: 1,
    url: `https://steward.example.com/#/object/${encodeURIComponent(id)}`,
  }));
  return {
    type: 'alert',
    receiver: 'r',
    groupKey: 'root/r:{environment="prod"}',
    status,
    groupLabels: { environment: 'prod' },
    commonLabels: { environment: 'prod', alertname: 'disk' },
    alerts,
    externalUrl: 'https://steward.example.com',
    deployment: 'acme',
    createdAt: 1_700_000_000_000,
  };
}

/** A mail body with quoted-printable soft line breaks undone. */
function unfold(data: string): string {
  return data.replace(/=\r\n/g, '');
}

function downtimeStart(): Notification {
  return {
    ...notification('firing'),
    type: 'downtime_start',
    by: { author: 'ann', comment: 'kernel upgrade' },
  };
}

function moved(): Notification {
  const n = notification('resolved');
  return { ...n, alerts: [{ ...n.alerts[0]!, movedTo: ['pager'] }] };
}

test('email: STARTTLS and AUTH against a real SMTP server; the mail lists every alert with links', async () => {
  const tls = await ensureTlsMaterial(mkdtempSync(join(tmpdir(), 'steward-smtp-')));
  const mails: { from: string; to: string[]; data: string; user: string; secure: boolean }[] = [];
  const smtp = new SMTPServer({
    key: tls.key,
    cert: tls.cert,
    authMethods: ['PLAIN', 'LOGIN'],
    onAuth(auth, _session, cb) {
      if (auth.username === 'steward' && auth.password === 'pw') cb(null, { user: 'steward' });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      let data = '';
      stream.on('data', (c: Buffer) => (data += c.toString('utf8')));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data,
          user: String(session.user),
          secure: session.secure,
        });
        cb();
      });
    },
  });
  await new Promise<void>((done) => smtp.listen(0, '127.0.0.1', done));
  cleanups.push(() => new Promise<void>((done) => smtp.close(() => done())));
  const port = (smtp.server.address() as { port: number }).port;
  const receiver = (password: string): ReceiverModel => ({
    name: 'mail',
    timeoutMs: 5000,
    kind: 'email',
    email: {
      to: ['ops@example.com', 'oncall@example.com'],
      from: 'steward@example.com',
      host: '127.0.0.1',
      port,
      secure: false,
      requireTls: true,
      insecure: true,
      username: 'steward',
      password,
    },
  });
  const r = await sendNotification(receiver('pw'), notification('firing'));
  assert.equal(r.ok, true, r.response);
  assert.match(r.response, /^SMTP 250/);
  assert.equal(mails.length, 1);
  const mail = mails[0]!;
  assert.equal(mail.secure, true, 'upgraded with STARTTLS');
  assert.equal(mail.user, 'steward');
  assert.deepEqual(mail.to, ['ops@example.com', 'oncall@example.com']);
  assert.match(mail.data, /Subject: \[FIRING:2\] acme environment=prod/);
  assert.match(mail.data, /PROBLEM CRITICAL: disk on db-1 \(prod\)/);
  assert.match(mail.data, /PROBLEM CRITICAL: disk on db-2 \(prod\)/);

  // Downtime news and a moved alert read as such in the subject and the body.
  assert.equal((await sendNotification(receiver('pw'), downtimeStart())).ok, true);
  assert.match(
    mails[1]!.data,
    /Subject: \[DOWNTIME START:2\] acme: CRITICAL: disk on db-1 \(prod\), CRITICAL:\s+disk on db-2 \(prod\) by ann: kernel upgrade/,
  );
  assert.match(unfold(mails[1]!.data), /DOWNTIME START CRITICAL: disk on db-1 \(prod\)/);
  assert.equal((await sendNotification(receiver('pw'), moved())).ok, true);
  assert.match(mails[2]!.data, /Subject: \[MOVED:1\] acme: CRITICAL: disk on db-1 \(prod\)/);
  assert.match(unfold(mails[2]!.data), /no longer routed here: now sent to pager/);

  const bad = await sendNotification(receiver('wrong'), notification('firing'));
  assert.equal(bad.ok, false);
  assert.equal(bad.permanent, true);
  assert.match(bad.response, /535|Invalid username/);
  assert.doesNotMatch(bad.response, /wrong/, 'the password never appears in answers');
});

test('slack and teams: incoming-webhook bodies with every alert and links back', async () => {
  const slack = await new RecordingReceiver(() => ({ status: 200, body: 'ok' })).start();
  const teams = await new RecordingReceiver(() => ({ status: 202, body: '' })).start();
  cleanups.push(
    () => slack.stop(),
    () => teams.stop(),
  );
  const s = await sendNotification(
    {
      name: 's',
      timeoutMs: 5000,
      kind: 'slack',
      slack: { url: slack.url('/services/T0/B0/X'), channel: '#ops' },
    },
    notification('firing'),
  );
  assert.deepEqual([s.ok, s.response], [true, 'HTTP 200 ok']);
  const body = slack.received[0]!.body;
  assert.equal(body.channel, '#ops');
  assert.match(
    body.text,
    /<https:\/\/steward\.example\.com\/#\/object\/db-1%2Fdisk\|CRITICAL: disk on db-1 \(prod\)>/,
  );
  assert.equal(body.blocks[0].type, 'header');

  const t = await sendNotification(
    { name: 't', timeoutMs: 5000, kind: 'teams', teams: { url: teams.url('/webhookb2/x') } },
    notification('resolved'),
  );
  assert.equal(t.ok, true, t.response);
  const card = teams.received[0]!.body.attachments[0];
  assert.equal(card.contentType, 'application/vnd.microsoft.card.adaptive');
  assert.equal(card.content.type, 'AdaptiveCard');
  assert.match(JSON.stringify(card.content.body), /RECOVERY \[CRITICAL: disk on db-2 \(prod\)\]/);
});

test('pagerduty: one Events v2 event per alert, trigger then resolve on the same dedup_key', async () => {
  const pd = await new RecordingReceiver((r) =>
    r.body.routing_key === 'R0UTINGKEY'
      ? {
          status: 202,
          body: JSON.stringify({
            status: 'success',
            message: 'Event processed',
            dedup_key: r.body.dedup_key,
          }),
        }
      : {
          status: 400,
          body: JSON.stringify({
            status: 'invalid event',
            message: 'Event object is invalid',
            errors: ['Invalid routing key'],
          }),
        },
  ).start();
  cleanups.push(() => pd.stop());
  const receiver = (routingKey: string): ReceiverModel => ({
    name: 'pd',
    timeoutMs: 5000,
    kind: 'pagerduty',
    pagerduty: { routingKey, url: pd.url('/v2/enqueue') },
  });
  const fire = await sendNotification(receiver('R0UTINGKEY'), notification('firing'));
  assert.equal(fire.ok, true, fire.response);
  assert.match(fire.response, /Event processed/);
  const resolve = await sendNotification(receiver('R0UTINGKEY'), notification('resolved'));
  assert.equal(resolve.ok, true);
  const events = pd.received.map((r) => r.body);
  assert.deepEqual(
    events.map((e) => [e.event_action, e.dedup_key]),
    [
      ['trigger', 'steward/acme/db-1/disk/1700000000000'],
      ['trigger', 'steward/acme/db-2/disk/1700000000000'],
      ['resolve', 'steward/acme/db-1/disk/1700000000000'],
      ['resolve', 'steward/acme/db-2/disk/1700000000000'],
    ],
  );
  assert.equal(events[0].payload.severity, 'critical');
  assert.equal(events[0].payload.source, 'db-1');
  assert.equal(events[0].links[0].href, 'https://steward.example.com/#/object/db-1%2Fdisk');
  const bad = await sendNotification(receiver('nope'), notification('firing'));
  assert.equal(bad.ok, false);
  assert.equal(bad.permanent, true);
  assert.match(bad.response, /HTTP 400 .*Invalid routing key/);
});

test('opsgenie: create with alias, close by alias, GenieKey auth', async () => {
  const og = await new RecordingReceiver((r) =>
    r.headers.authorization === 'GenieKey k-123'
      ? {
          status: 202,
          body: JSON.stringify({ result: 'Request will be processed', took: 0.1, requestId: 'abc' }),
        }
      : { status: 401, body: JSON.stringify({ message: 'Could not authenticate', took: 0 }) },
  ).start();
  cleanups.push(() => og.stop());
  const receiver: ReceiverModel = {
    name: 'og',
    timeoutMs: 5000,
    kind: 'opsgenie',
    opsgenie: { apiKey: 'k-123', url: og.url('') },
  };
  assert.equal((await sendNotification(receiver, notification('firing'))).ok, true);
  assert.equal((await sendNotification(receiver, notification('resolved'))).ok, true);
  const got = og.received.map((r) => [r.path, r.body.alias ?? null]);
  assert.deepEqual(got, [
    ['/v2/alerts', 'steward/acme/db-1/disk/1700000000000'],
    ['/v2/alerts', 'steward/acme/db-2/disk/1700000000000'],
    [
      `/v2/alerts/${encodeURIComponent('steward/acme/db-1/disk/1700000000000')}/close?identifierType=alias`,
      null,
    ],
    [
      `/v2/alerts/${encodeURIComponent('steward/acme/db-2/disk/1700000000000')}/close?identifierType=alias`,
      null,
    ],
  ]);
  assert.equal(og.received[0]!.body.priority, 'P1');
});

test('command: the notification as JSON on stdin, exit 0 delivered, other exits retried', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'steward-cmd-'));
  const script = join(dir, 'notify.sh');
  writeFileSync(
    script,
    `#!/bin/sh\ncat > "${dir}/in.json"\necho "got $STEWARD_ALERT_COUNT alerts"\nexit "\${EXIT_CODE:-0}"\n`,
  );
  chmodSync(script, 0o755);
  const ok = await sendNotification(
    { name: 'c', timeoutMs: 5000, kind: 'command', command: { command: script, args: [] } },
    notification('firing'),
  );
  assert.deepEqual([ok.ok, ok.response], [true, 'exit 0: got 2 alerts']);
  assert.equal(JSON.parse(readFileSync(join(dir, 'in.json'), 'utf8')).alerts.length, 2);
  const missing = await sendNotification(
    { name: 'c', timeoutMs: 5000, kind: 'command', command: { command: join(dir, 'absent'), args: [] } },
    notification('firing'),
  );
  assert.equal(missing.ok, false);
  assert.match(missing.response, /cannot run .*absent/);
});

test('test notifications reach a webhook with a synthetic alert', async () => {
  const hook = await new RecordingReceiver(() => ({ status: 200, body: '{"ok":true}' })).start();
  cleanups.push(() => hook.stop());
  const r = await sendNotification(
    { name: 'hook', timeoutMs: 5000, kind: 'webhook', webhook: { url: hook.url('/x') } },
    specialNotification('test', 'hook', 'acme', 'https://s.example', Date.now()),
  );
  assert.deepEqual([r.ok, r.response], [true, 'HTTP 200 {"ok":true}']);
  assert.equal(hook.received[0]!.body.alerts[0].labels.alertname, 'StewardTest');
  assert.equal(hook.received[0]!.headers['x-steward-signature'], undefined, 'no secret, no signature');
});

test('flapping, downtime and acknowledgement notifications in Teams, Opsgenie and command receivers', async () => {
  const teams = await new RecordingReceiver(() => ({ status: 202, body: '' })).start();
  const og = await new RecordingReceiver(() => ({
    status: 202,
    body: JSON.stringify({ result: 'Request will be processed', took: 0.1, requestId: 'abc' }),
  })).start();
  cleanups.push(
    () => teams.stop(),
    () => og.stop(),
  );
  const flapping: Notification = { ...notification('firing'), type: 'flapping_start' };
  const t = await sendNotification(
    { name: 't', timeoutMs: 5000, kind: 'teams', teams: { url: teams.url('/webhookb2/x') } },
    flapping,
  );
  assert.equal(t.ok, true, t.response);
  const card = teams.received[0]!.body.attachments[0].content;
  assert.equal(card.body[0].color, 'Warning');
  assert.match(card.body[0].text, /^\[FLAPPING START:2\] acme: CRITICAL: disk on db-1/);
  assert.match(card.body[1].text, /^FLAPPING START \[CRITICAL: disk on db-1 \(prod\)\]/);

  // Opsgenie: a note on the open alert of each firing problem; nothing for objects without one.
  const receiver: ReceiverModel = {
    name: 'og',
    timeoutMs: 5000,
    kind: 'opsgenie',
    opsgenie: { apiKey: 'k', url: og.url('') },
  };
  assert.equal((await sendNotification(receiver, downtimeStart())).ok, true);
  assert.deepEqual(
    og.received.map((r) => r.path),
    ['db-1', 'db-2'].map(
      (h) =>
        `/v2/alerts/${encodeURIComponent(`steward/acme/${h}/disk/1700000000000`)}/notes?identifierType=alias`,
    ),
  );
  assert.equal(og.received[0]!.body.user, 'ann');
  assert.match(
    og.received[0]!.body.note,
    /^DOWNTIME START: CRITICAL: disk on db-1 \(prod\) \(kernel upgrade\)$/,
  );
  const healthy = await sendNotification(receiver, {
    ...downtimeStart(),
    alerts: notification('resolved').alerts,
  });
  assert.deepEqual([healthy.ok, og.received.length], [true, 2]);
  assert.match(healthy.response, /nothing to tell Opsgenie/);

  // Command: Nagios' NOTIFICATIONTYPE next to Steward's own.
  const dir = mkdtempSync(join(tmpdir(), 'steward-cmd-'));
  const script = join(dir, 'notify.sh');
  writeFileSync(script, '#!/bin/sh\necho "$NOTIFICATIONTYPE $STEWARD_NOTIFICATION_TYPE"\n');
  chmodSync(script, 0o755);
  const cmd = {
    name: 'c',
    timeoutMs: 5000,
    kind: 'command' as const,
    command: { command: script, args: [] },
  };
  const ack: Notification = {
    ...notification('firing'),
    type: 'acknowledgement',
    by: { author: 'ann', comment: '' },
  };
  assert.equal((await sendNotification(cmd, ack)).response, 'exit 0: ACKNOWLEDGEMENT acknowledgement');
  assert.equal((await sendNotification(cmd, moved())).response, 'exit 0: MOVED alert');
  assert.equal((await sendNotification(cmd, notification('resolved'))).response, 'exit 0: RECOVERY alert');
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { BackupScheduler } from '../../src/backup/index.ts';
import type { CheckResult } from '../../src/core/result.ts';
import { silentLogger } from '../../src/log/index.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { StewardServer, steward, tempDir } from '../helpers/steward-server.ts';
import { PASSWORD, PASSWORD_ENV } from './fixture.ts';

const cleanup: string[] = [];
after(() => {
  for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
});

function spec(dir: string, retention = 'keepDaily: 2'): string {
  return `deployment: acme
operatorNetworks: [127.0.0.0/8]
environments:
  - name: prod
    hosts:
      - name: web-1
        address: 127.0.0.1
backup:
  repositories:
    - name: local
      restic: { repository: '${join(dir, 'repo')}', passwordEnv: ${PASSWORD_ENV} }
  jobs:
    - name: conf
      repository: local
      files: { paths: ['${join(dir, 'src')}'] }
      schedule: '0 3 * * *'
      drillSchedule: '0 4 * * 0'
      ${retention}
      rpoTarget: 1h
`;
}

test('backup runs reported to steward serve are check results: OK with metrics, a failure turns the service CRITICAL', async () => {
  const server = new StewardServer('placeholder');
  try {
    mkdirSync(join(server.dir, 'src'));
    writeFileSync(join(server.dir, 'src', 'a.conf'), 'x=1\n');
    server.writeSpec(spec(server.dir));
    await server.start();
    const pending = await server.service('backup', 'backup-conf');
    assert.equal(pending.kind, 'passive');
    assert.equal(pending.checked, false);
    const env = {
      [PASSWORD_ENV]: PASSWORD,
      STEWARD_TOKEN: server.token,
      NODE_EXTRA_CA_CERTS: join(server.dataDir, 'tls/cert.pem'),
    };
    const url = `https://127.0.0.1:${server.port}`;
    const args = [
      'backup',
      'run',
      'conf',
      '--spec',
      server.specFile,
      '--data',
      join(server.dir, 'cli'),
      '--report',
      url,
    ];
    const ok = steward(args, { env });
    assert.equal(ok.code, 0, ok.stderr);
    const okView = await server.waitForService('backup', 'backup-conf', (s) => s.checked && s.state === 'OK');
    assert.match(JSON.stringify(okView), /backup conf OK/);
    const series = await server.get('/api/v1/metrics/series');
    const names = JSON.stringify(series.body);
    for (const metric of ['duration', 'size', 'files', 'snapshot_age'])
      assert.match(names, new RegExp(metric));

    // The source is gone: the run fails and the service goes CRITICAL (hard at once: one attempt).
    server.writeSpec(
      spec(server.dir).replace(`'${join(server.dir, 'src')}'`, `'${join(server.dir, 'missing')}'`),
    );
    const failed = steward(args, { env });
    assert.equal(failed.code, 1);
    const bad = await server.waitForService(
      'backup',
      'backup-conf',
      (s) => s.state === 'CRITICAL' && s.stateType === 'HARD',
    );
    assert.match(JSON.stringify(bad), /backup conf FAILED/);
    assert.ok(!JSON.stringify(bad).includes(PASSWORD));
  } finally {
    await server.cleanup();
  }
});

test('the serve scheduler runs due backups and drills and submits their results', async () => {
  const dir = tempDir('steward-backup-sched-');
  cleanup.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'a.conf'), 'x=1\n');
  // Without retention: each forget + prune would only add restic runs to this test.
  writeFileSync(join(dir, 'steward.yaml'), spec(dir, '# no retention'));
  const loaded = loadSpec(join(dir, 'steward.yaml'));
  assert.ok(loaded.ok);
  let now = Date.parse('2026-11-28T02:59:00Z'); // a Saturday
  const results: { id: string; result: CheckResult }[] = [];
  const scheduler = new BackupScheduler({
    backup: loaded.deployment.backup,
    dataDir: join(dir, 'data'),
    log: silentLogger(),
    submit: (id, result) => results.push({ id, result }),
    now: () => now,
    env: { ...process.env, [PASSWORD_ENV]: PASSWORD },
  });
  assert.deepEqual(
    scheduler.plan().map((p) => [p.kind, new Date(p.next!).toISOString()]),
    [
      ['backup', '2026-11-28T03:00:00.000Z'],
      ['drill', '2026-11-29T04:00:00.000Z'],
    ],
  );
  await scheduler.runDue();
  assert.equal(results.length, 0, 'nothing is due yet');
  now = Date.parse('2026-11-28T03:00:05Z');
  await scheduler.runDue();
  assert.deepEqual(
    results.map((r) => [r.id, r.result.state]),
    [['backup/backup-conf', 0]],
  );
  now = Date.parse('2026-11-29T04:00:01Z');
  await scheduler.runDue();
  // Second backup (03:00 on the 29th) is due too; then the drill, whose RPO (data of the 29th 03:00 run, taken
  // a moment ago in real time) is within its 1h target.
  assert.deepEqual(
    results.map((r) => r.id),
    ['backup/backup-conf', 'backup/backup-conf', 'backup/drill-conf'],
  );
  const drill = results[2]!.result;
  assert.equal(drill.state, 0, drill.output);
  assert.ok(drill.perfdata.some((p) => p.label === 'rto') && drill.perfdata.some((p) => p.label === 'rpo'));
  assert.equal(scheduler.plan()[0]!.next, Date.parse('2026-11-30T03:00:00Z'));
  await scheduler.stop();
});

test('stopping the scheduler stops a running backup at once: no snapshot, no lock left, nothing reported', async () => {
  const dir = tempDir('steward-backup-stop-');
  cleanup.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'big.bin'), randomBytes(4 * 1024 * 1024));
  // 64 KiB/s: the backup would take about a minute.
  writeFileSync(
    join(dir, 'steward.yaml'),
    spec(dir).replace('passwordEnv:', 'limitUpload: 64, passwordEnv:'),
  );
  const loaded = loadSpec(join(dir, 'steward.yaml'));
  assert.ok(loaded.ok);
  const results: string[] = [];
  const scheduler = new BackupScheduler({
    backup: loaded.deployment.backup,
    dataDir: join(dir, 'data'),
    log: silentLogger(),
    submit: (id) => results.push(id),
    env: { ...process.env, [PASSWORD_ENV]: PASSWORD },
  });
  const job = loaded.deployment.backup!.jobs[0]!;
  const running = scheduler.runTask(job, 'backup');
  const locks = join(dir, 'repo', 'locks');
  for (let i = 0; i < 100 && !(existsSync(locks) && readdirSync(locks).length > 0); i++) await sleep(100);
  await sleep(300);
  const stopping = Date.now();
  await scheduler.stop();
  await running;
  assert.ok(Date.now() - stopping < 5000, 'stop does not wait for the backup to finish');
  assert.deepEqual(results, []);
  assert.deepEqual(readdirSync(locks), [], 'restic removed its lock on SIGINT');
});

test('started, the scheduler wakes up on its own when a job is due', async () => {
  const dir = tempDir('steward-backup-timer-');
  cleanup.push(dir);
  mkdirSync(join(dir, 'src'));
  writeFileSync(join(dir, 'src', 'a.conf'), 'x=1\n');
  writeFileSync(join(dir, 'steward.yaml'), spec(dir, '# no retention').replace("'0 3 * * *'", "'* * * * *'"));
  const loaded = loadSpec(join(dir, 'steward.yaml'));
  assert.ok(loaded.ok);
  // A clock 1.5 s before the next full minute, so the every-minute job is due 1.5 s after start.
  const real = Date.now();
  const skew = Math.ceil(real / 60_000) * 60_000 - 1500 - real;
  const results: string[] = [];
  const scheduler = new BackupScheduler({
    backup: loaded.deployment.backup,
    dataDir: join(dir, 'data'),
    log: silentLogger(),
    submit: (id) => results.push(id),
    now: () => Date.now() + skew,
    env: { ...process.env, [PASSWORD_ENV]: PASSWORD },
  });
  scheduler.start();
  for (let i = 0; i < 300 && results.length === 0; i++) await sleep(100);
  await scheduler.stop();
  assert.deepEqual(results, ['backup/backup-conf']);
});

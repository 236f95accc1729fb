import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { test } from 'node:test';
import { nextRun, onCalendar, parseCron, renderHostBackupJobs } from '../../src/backup/index.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { backupFixture, PASSWORD, PASSWORD_ENV } from './fixture.ts';

/** Runs a script without blocking the event loop (the test's HTTP server must answer it). */
function runScript(file: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

test('cron schedules become OnCalendar lines systemd reads with the same next run', () => {
  const from = Date.parse('2026-11-25T10:07:00Z');
  for (const [cron, zone] of [
    ['30 2 * * *', 'Europe/Amsterdam'],
    ['*/15 8-18 * * mon-fri', 'UTC'],
    ['0 4 1,15 * *', 'UTC'],
    ['0 3 * * 0', 'America/New_York'],
  ] as const) {
    const schedule = parseCron(cron, zone);
    const [line, more] = onCalendar(schedule);
    assert.equal(more, undefined);
    const out = execFileSync('systemd-analyze', ['calendar', '--base-time', `@${from / 1000}`, line!], {
      encoding: 'utf8',
      env: { ...process.env, TZ: 'UTC' },
    });
    const next = /Next elapse: \w+ (\S+ \S+) UTC/.exec(out)?.[1];
    assert.equal(
      `${next!.replace(' ', 'T')}.000Z`,
      new Date(nextRun(schedule, from)!).toISOString(),
      `${cron} ${zone} → ${line}`,
    );
  }
  assert.equal(onCalendar(parseCron('0 0 1 * 5')).length, 2, 'day-of-month OR day-of-week: two lines');
});

test('the rendered host job backs up with restic and reports its result to the passive results API', async () => {
  const f = backupFixture('');
  const src = join(f.dir, 'conf');
  mkdirSync(src);
  writeFileSync(join(src, 'a.conf'), 'x=1\n');
  writeFileSync(
    f.spec,
    `${readFileSync(f.spec, 'utf8')}    - name: conf
      repository: local
      host: db-1
      files: { paths: ['${src}'] }
      schedule: '30 2 * * *'
      timeZone: Europe/Amsterdam
      keepDaily: 3
`,
  );
  const received: { auth: string | undefined; body: any }[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c) => (text += c));
    req.on('end', () => {
      received.push({ auth: req.headers.authorization, body: JSON.parse(text) });
      res.writeHead(202, { 'content-type': 'application/json' }).end('{"accepted":1}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const loaded = loadSpec(f.spec);
    assert.ok(loaded.ok);
    const port = (server.address() as { port: number }).port;
    const tokenFile = join(f.dir, 'token');
    writeFileSync(tokenFile, 'stw_test_token');
    const files = renderHostBackupJobs(loaded.deployment, 'db-1', {
      stewardUrl: `http://127.0.0.1:${port}`,
      tokenFile,
    });
    assert.deepEqual(
      files.map((x) => x.path),
      [
        '/usr/local/lib/steward/backup-conf.sh',
        '/etc/systemd/system/steward-backup-conf.service',
        '/etc/systemd/system/steward-backup-conf.timer',
      ],
    );
    assert.match(files[2]!.content, /^OnCalendar=\*-\*-\* 02:30:00 Europe\/Amsterdam$/m);
    assert.ok(!files.some((x) => x.content.includes(PASSWORD)), 'no password in rendered files');
    assert.deepEqual(renderHostBackupJobs(loaded.deployment, 'other-host', { stewardUrl: 'https://x' }), []);

    const script = join(f.dir, 'backup-conf.sh');
    writeFileSync(script, files[0]!.content, { mode: 0o755 });
    const run = await runScript(script, { ...process.env, [PASSWORD_ENV]: PASSWORD });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(received.length, 1);
    assert.equal(received[0]!.auth, 'Bearer stw_test_token');
    assert.equal(received[0]!.body.host, 'db-1');
    assert.equal(received[0]!.body.service, 'backup-conf');
    assert.equal(received[0]!.body.state, '0');
    assert.match(received[0]!.body.perfdata, /'size'=4B 'files'=1/);
    const snapshots = JSON.parse(f.backup(['snapshots', 'conf', '--json']).stdout) as unknown[];
    assert.equal(snapshots.length, 1, "the snapshot is one of the job's, visible to steward backup");

    const failing = await runScript(script, { ...process.env, [PASSWORD_ENV]: 'wrong-password' });
    assert.notEqual(failing.status, 0);
    assert.equal(received[1]!.body.state, '2');
    assert.match(received[1]!.body.longOutput, /wrong password/);
  } finally {
    server.close();
    rmSync(f.dir, { recursive: true, force: true });
  }
});

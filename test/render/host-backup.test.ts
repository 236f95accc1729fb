/**
 * A host's own backup job from `steward render host`, for real: rendered for a host with a files
 * job, installed by install.sh under a temporary root, its units accepted by systemd-analyze
 * verify, its script run as the service would run it (environment from the EnvironmentFile):
 * restic writes a snapshot into a local repository, and the run arrives at a real `steward serve`
 * as the state of the job's passive service. Nothing secret is in the rendered files.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { StewardServer, steward, tempDir } from '../helpers/steward-server.ts';

const PASSWORD_ENV = 'STEWARD_TEST_HOST_BACKUP_PASSWORD';
const PASSWORD = 'a host-side restic password 8d1f';
const dir = tempDir('steward-host-backup-');
const repo = path.join(dir, 'repo');
const data = path.join(dir, 'conf');
const out = path.join(dir, 'out');
const root = path.join(dir, 'root');
let server: StewardServer;

const spec = `deployment: acme
operatorNetworks: [127.0.0.0/8]
monitoring: { subnet: 127.0.0.1/32 }
environments:
  - name: prod
    hosts:
      - { name: db-1, address: 127.0.0.1 }
backup:
  repositories:
    - name: local
      restic: { repository: '${repo}', passwordEnv: ${PASSWORD_ENV} }
  jobs:
    - name: conf
      repository: local
      host: db-1
      files: { paths: ['${data}'], exclude: ['*.log'] }
      schedule: '30 2 * * *'
      timeZone: Europe/Amsterdam
      keepDaily: 3
`;

before(async () => {
  mkdirSync(data);
  writeFileSync(path.join(data, 'deployment.toml'), '[server]\nhostname = "db-1"\n');
  writeFileSync(path.join(data, 'carbon.log'), 'excluded\n');
  mkdirSync(path.join(dir, 'serve'));
  server = new StewardServer(spec, path.join(dir, 'serve'));
  await server.start();
});

after(async () => {
  await server?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** The script as its service runs it: KEY=value lines of the EnvironmentFile in its environment. */
function runAsService(
  script: string,
  envFile: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    STEWARD_API_TOKEN_FILE: path.join(root, 'etc/steward/api-token'),
  };
  for (const line of readFileSync(envFile, 'utf8').split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) env[line.slice(0, at)] = line.slice(at + 1);
  }
  return new Promise((resolve) => {
    const child = spawn(script, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('render, install, run: the snapshot is in the repository and the run is the service state', async () => {
  const ca = path.join(server.dataDir, 'tls/cert.pem');
  const rendered = steward([
    'render',
    'host',
    'db-1',
    '--spec',
    server.specFile,
    '--out',
    out,
    '--steward-url',
    `https://127.0.0.1:${server.port}`,
    '--steward-ca',
    ca,
  ]);
  assert.equal(rendered.code, 0, rendered.stderr);
  assert.match(rendered.stdout, /backup\/backup-conf\.sh +→ \/usr\/local\/lib\/steward\/backup-conf\.sh\n/);
  assert.match(
    rendered.stdout,
    /steward-backup-conf\.timer +→ \/etc\/systemd\/system\/steward-backup-conf\.timer/,
  );
  for (const name of readdirSync(path.join(out, 'backup'))) {
    assert.ok(!readFileSync(path.join(out, 'backup', name), 'utf8').includes(PASSWORD), name);
  }

  const install = spawnSync('/bin/sh', [path.join(out, 'install.sh')], {
    env: { PATH: process.env.PATH, STEWARD_INSTALL_ROOT: root, STEWARD_NO_RESTART: '1' },
    encoding: 'utf8',
  });
  assert.equal(install.status, 0, install.stderr);
  // It says what the jobs still need, without failing the agents' installation.
  assert.match(
    install.stderr,
    new RegExp(`the backup jobs need /etc/steward/backup\\.env: ${PASSWORD_ENV} \\(NAME=value lines\\)`),
  );
  assert.match(install.stderr, /the backup jobs need \/etc\/steward\/api-token: an API token/);
  const script = path.join(root, 'usr/local/lib/steward/backup-conf.sh');
  const unitDir = path.join(root, 'etc/systemd/system');
  const timer = readFileSync(path.join(unitDir, 'steward-backup-conf.timer'), 'utf8');
  assert.match(timer, /^OnCalendar=\*-\*-\* 02:30:00 Europe\/Amsterdam$/m);
  const service = readFileSync(path.join(unitDir, 'steward-backup-conf.service'), 'utf8');
  assert.match(service, /^EnvironmentFile=-\/etc\/steward\/backup\.env$/m);
  assert.match(service, /^ExecStart=\/usr\/local\/lib\/steward\/backup-conf\.sh$/m);

  // systemd reads the units as it would on the host (its own targets copied into the root).
  const targets = path.join(root, 'usr/lib/systemd/system');
  mkdirSync(targets, { recursive: true });
  for (const name of readdirSync('/usr/lib/systemd/system').filter((n) => n.endsWith('.target'))) {
    copyFileSync(path.join('/usr/lib/systemd/system', name), path.join(targets, name));
  }
  const verify = spawnSync(
    'systemd-analyze',
    [
      'verify',
      `--root=${root}`,
      '/etc/systemd/system/steward-backup-conf.service',
      '/etc/systemd/system/steward-backup-conf.timer',
    ],
    { encoding: 'utf8' },
  );
  assert.equal(verify.status, 0, verify.stderr);

  // What the operator puts on the host: the password and the API token, mode 0600.
  const envFile = path.join(root, 'etc/steward/backup.env');
  mkdirSync(path.dirname(envFile), { recursive: true });
  writeFileSync(envFile, `${PASSWORD_ENV}=${PASSWORD}\n`, { mode: 0o600 });
  writeFileSync(path.join(root, 'etc/steward/api-token'), `${server.token}\n`, { mode: 0o600 });

  const run = await runAsService(script, envFile);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /^backup conf OK: snapshot [0-9a-f]{8}$/m);

  const snapshots = spawnSync('restic', ['-r', repo, 'snapshots', '--json', '--tag', 'job:conf'], {
    env: { PATH: process.env.PATH, RESTIC_PASSWORD: PASSWORD },
    encoding: 'utf8',
  });
  assert.equal(snapshots.status, 0, snapshots.stderr);
  const list = JSON.parse(snapshots.stdout) as { short_id: string; paths: string[]; tags: string[] }[];
  assert.equal(list.length, 1);
  assert.deepEqual(list[0]!.paths, [data]);
  assert.ok(run.stdout.includes(list[0]!.short_id), `${run.stdout} names ${list[0]!.short_id}`);
  const files = spawnSync('restic', ['-r', repo, 'ls', '--json', list[0]!.short_id], {
    env: { PATH: process.env.PATH, RESTIC_PASSWORD: PASSWORD },
    encoding: 'utf8',
  });
  assert.match(files.stdout, /deployment\.toml/);
  assert.doesNotMatch(files.stdout, /carbon\.log/, 'the exclude applies');

  const ok = await server.waitForService('db-1', 'backup-conf', (s) => s.state === 'OK', 30_000);
  assert.match(ok.output, new RegExp(`backup conf OK: snapshot ${list[0]!.short_id}`));
  assert.ok(
    ok.perfdata.some((p: { label: string }) => p.label === 'size'),
    JSON.stringify(ok.perfdata),
  );

  // A wrong password: the run fails, and Steward hears it (CRITICAL at once: no retries for backups).
  writeFileSync(envFile, `${PASSWORD_ENV}=not the password\n`);
  const failed = await runAsService(script, envFile);
  assert.notEqual(failed.code, 0);
  const critical = await server.waitForService('db-1', 'backup-conf', (s) => s.state === 'CRITICAL', 30_000);
  assert.match(critical.output, /backup conf FAILED/);
});

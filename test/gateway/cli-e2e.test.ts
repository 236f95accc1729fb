// End to end through the CLI: a spec with `access:`, `steward gateway` as a child process, real
// OpenSSH `ssh -J` through it to a real sshd, and `steward access grant` opening an environment
// the user was refused a moment before, without a restart; then the grant expiring, a SIGHUP
// re-reading the spec, /metrics, and the audit in the JSON lines file and in the store. One host
// runs sshd with the rendered lockdown drop-in: reachable through the bastion, refused directly.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { base32Decode, totpCode } from '../../src/auth/totp.ts';
import { gatewayPaths, readTotpSecret } from '../../src/gateway/index.ts';
import { renderSshdDropin } from '../../src/render/lockdown.ts';
import { openSqliteStore } from '../../src/store/index.ts';
import { readAuditFile } from './helpers/fixture.ts';
import {
  freePort,
  generateKey,
  runOpenSsh,
  type Sshd,
  startSshd,
  stopAll,
  waitFor,
  writeAskpass,
} from './helpers/openssh.ts';

const STEWARD = new URL('../../bin/steward.js', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'steward-gw-cli-'));
const children: ChildProcess[] = [];
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  stopAll();
  rmSync(dir, { recursive: true, force: true });
});

function steward(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [STEWARD, ...args], { encoding: 'utf8' }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function specText(opts: {
  sshPort: number;
  lockedPort: number;
  gatewayPort: number;
  key: string;
  environments: string[];
}): string {
  return `deployment: acme
operatorNetworks: [127.0.0.1/32]
environments:
  - name: prod
    hosts:
      - { name: web-1, address: 127.0.0.1, ssh: { port: ${opts.sshPort} } }
      - { name: locked-1, address: 127.0.0.4, ssh: { port: ${opts.lockedPort} } }
  - name: staging
    hosts:
      - { name: db-1, address: 127.0.0.3, ssh: { port: ${opts.sshPort} } }
access:
  bastion: { placement: datacenter, port: ${opts.gatewayPort}, address: 127.0.0.1, listen: 127.0.0.1 }
  users:
    - name: alice
      keys: ["${opts.key}"]
      environments: [${opts.environments.join(', ')}]
`;
}

test('steward gateway + steward access: ssh -J, grant without restart, expiry, SIGHUP, metrics, audit', async () => {
  const key = generateKey(dir, 'alice');
  const sshd: Sshd = await startSshd(join(dir, 'sshd'), ['127.0.0.1', '127.0.0.3'], [key.publicLine]);
  // A host locked down with the rendered sshd drop-in: only the bastion's address may log in
  // (127.0.0.1, where the gateway's forwards come from).
  const lockedPort = await freePort('127.0.0.4');
  const dropin = join(dir, 'steward-dropin.conf');
  writeFileSync(dropin, renderSshdDropin({ host: 'locked-1', bastionAddress: '127.0.0.1' }));
  await startSshd(join(dir, 'locked'), ['127.0.0.4'], [key.publicLine], lockedPort, [`Include ${dropin}`]);
  const gatewayPort = await freePort();
  const specFile = join(dir, 'steward.yaml');
  const data = join(dir, 'data');
  const spec = (environments: string[]) =>
    specText({ sshPort: sshd.port, lockedPort, gatewayPort, key: key.publicLine, environments });
  writeFileSync(specFile, spec(['prod']));
  const common = ['--spec', specFile, '--data', data];

  // Enrol alice's TOTP: the URI (with the secret) is shown once, with a QR code.
  const enrolled = await steward(['access', 'enroll', 'alice', ...common]);
  assert.equal(enrolled.code, 0, enrolled.stderr);
  assert.match(enrolled.stdout, /otpauth:\/\/totp\/.*secret=/);
  assert.match(enrolled.stdout, /[▀▄█]/);
  const again = await steward(['access', 'enroll', 'alice', ...common]);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /already enrolled.*--replace/);
  const secret = base32Decode(readTotpSecret(data, 'alice')!);

  const gateway = spawn(
    process.execPath,
    [STEWARD, 'gateway', ...common, '--metrics-listen', '127.0.0.1:0'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  children.push(gateway);
  let out = '';
  let err = '';
  gateway.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
  });
  gateway.stderr?.on('data', (d: Buffer) => {
    err += d.toString();
  });
  const metricsUrl = await waitFor(
    () => /metrics on (http:\/\/\S+\/metrics)/.exec(out)?.[1],
    `steward gateway to start (stdout: ${out} stderr: ${err})`,
    15_000,
  );
  assert.match(out, new RegExp(`listening on port ${gatewayPort}`));

  // The operator's ssh config comes from `steward access ssh-config`, plus test-only client settings.
  const sshConfig = await steward(['access', 'ssh-config', 'alice', ...common]);
  assert.equal(sshConfig.code, 0, sshConfig.stderr);
  assert.match(sshConfig.stdout, /Host web-1\n\s+HostName 127\.0\.0\.1/);
  assert.doesNotMatch(sshConfig.stdout, /Host db-1/);
  const configFile = join(dir, 'ssh_config');
  writeFileSync(
    configFile,
    `${sshConfig.stdout.replace(/ControlPath \S+/, `ControlPath ${join(dir, 'cm-%C')}`)}
Host *
  User root
  IdentityFile ${key.privatePath}
  IdentitiesOnly yes
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  ConnectTimeout 10
  LogLevel ERROR
`,
  );
  const codeFile = join(dir, 'code');
  writeFileSync(codeFile, `${totpCode(secret, Date.now())}\n`);
  const askpass = writeAskpass(dir, 'alice', codeFile);
  const ssh = (args: string[]) => runOpenSsh('ssh', ['-F', configFile, ...args], { askpass });
  const toDb = ['-J', 'steward-bastion', '-p', String(sshd.port), 'root@127.0.0.3', 'echo db-ok'];
  after(() => runOpenSsh('ssh', ['-F', configFile, '-O', 'exit', 'steward-bastion'], { timeoutMs: 5_000 }));

  // prod is alice's: the jump works (key + TOTP at the bastion, then the host's own key).
  const web = await ssh(['web-1', 'echo web-ok']);
  assert.equal(web.stdout.trim(), 'web-ok', web.stderr);

  // The locked-down host: reachable through the bastion, refused when reached directly from
  // another address (127.0.0.2), with the same key.
  const locked = await ssh([
    '-J',
    'steward-bastion',
    '-p',
    String(lockedPort),
    'root@127.0.0.4',
    'echo locked-ok',
  ]);
  assert.equal(locked.stdout.trim(), 'locked-ok', locked.stderr);
  const direct = await ssh(['-b', '127.0.0.2', '-p', String(lockedPort), 'root@127.0.0.4', 'echo locked-ok']);
  assert.notEqual(direct.code, 0);
  assert.doesNotMatch(direct.stdout, /locked-ok/);
  assert.match(direct.stderr, /Permission denied/);
  // ... while the same key from the bastion's own address gets in: the refusal is the address.
  const fromBastionAddress = await ssh([
    '-b',
    '127.0.0.1',
    '-p',
    String(lockedPort),
    'root@127.0.0.4',
    'echo locked-ok',
  ]);
  assert.equal(fromBastionAddress.stdout.trim(), 'locked-ok', fromBastionAddress.stderr);

  // staging is not: refused at the bastion.
  const refused = await ssh(toDb);
  assert.notEqual(refused.code, 0);
  assert.doesNotMatch(refused.stdout, /db-ok/);

  // A time-bound grant opens it, with the gateway still running (same process, same login).
  const granted = await steward([
    'access',
    'grant',
    'alice',
    'staging',
    '--for',
    '6s',
    '--reason',
    'INC-123 replica lag',
    ...common,
  ]);
  assert.equal(granted.code, 0, granted.stderr);
  const until = /granted alice staging until (\S+)/.exec(granted.stdout)?.[1];
  assert.ok(until, granted.stdout);
  const db = await ssh(toDb);
  assert.equal(db.stdout.trim(), 'db-ok', db.stderr);
  const listed = await steward(['access', 'grants', '--all', ...common]);
  assert.match(listed.stdout, /alice\tstaging\t(active|expired)\t.*INC-123 replica lag/);

  // ... and closes on its own when it expires.
  await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(until) - Date.now()) + 300));
  const expired = await ssh(toDb);
  assert.notEqual(expired.code, 0);
  assert.doesNotMatch(expired.stdout, /db-ok/);

  // A typo in the environment is refused with a suggestion, before anything is written.
  const typo = await steward([
    'access',
    'grant',
    'alice',
    'stagin',
    '--for',
    '1h',
    '--reason',
    'x',
    ...common,
  ]);
  assert.notEqual(typo.code, 0);
  assert.match(typo.stderr, /no environment "stagin" in the spec: did you mean `staging`\?/);

  // SIGHUP re-reads the spec: staging becomes one of alice's standing environments.
  writeFileSync(specFile, spec(['prod', 'staging']));
  gateway.kill('SIGHUP');
  const auditFile = gatewayPaths(data).auditFile;
  await waitFor(
    () => readAuditFile(auditFile).find((e) => e.type === 'reload' && e.result === 'ok'),
    'the reload to be audited',
  );
  const afterReload = await ssh(toDb);
  assert.equal(afterReload.stdout.trim(), 'db-ok', afterReload.stderr);

  const metrics = await (await fetch(metricsUrl)).text();
  assert.match(metrics, /^steward_gateway_forwards_opened_total [4-9]$/m);
  assert.match(metrics, /^steward_gateway_forwards_refused_total [2-9]$/m);

  gateway.kill('SIGTERM');
  const exitCode = await new Promise<number | null>((resolve) => gateway.once('exit', resolve));
  assert.equal(exitCode, 0, err);

  const events = readAuditFile(auditFile);
  const refusals = events.filter((e) => e.type === 'forward-refused');
  assert.deepEqual(
    refusals.map((e) => e.reason),
    ['environment-not-granted', 'grant-expired'],
  );
  assert.ok(events.some((e) => e.type === 'grant' && e.reason === 'INC-123 replica lag'));
  assert.ok(events.some((e) => e.type === 'auth' && e.result === 'accepted' && e.user === 'alice'));

  // The same events are rows of the store's audit log (the dashboard's audit view).
  const store = openSqliteStore(data);
  try {
    const rows = store.queryAudit({ action: 'gateway.forward-refused' });
    assert.equal(rows.length, 2);
    assert.ok(rows.every((r) => r.actor === 'alice' && r.outcome === 'refused' && r.ip === '127.0.0.1'));
    assert.equal(store.queryAudit({ action: 'gateway.grant' })[0]?.target, 'staging');
    assert.ok(store.queryAudit({ action: 'gateway.forward' }).length >= 3);
  } finally {
    store.close();
  }
});

// A bastion on its own instance ships its audit log to the monitoring server: a real `steward
// serve` and a real `steward gateway` with separate data dirs, real OpenSSH `ssh -J` through the
// gateway. The connect/auth/forward events appear in serve's audit API with the bastion as their
// source; with serve stopped, more connections and a grant stay queued and arrive exactly once
// when it is back; a wrong token and a wrong pinned fingerprint are clear errors in the gateway
// log (without the token) while the events wait; a re-sent log is stored once.
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { base32Decode, totpCode } from '../../src/auth/totp.ts';
import { gatewayPaths, readTotpSecret } from '../../src/gateway/index.ts';
import { STEWARD, StewardServer, steward, tempDir } from '../helpers/steward-server.ts';
import { readAuditFile } from './helpers/fixture.ts';
import {
  freePort,
  generateKey,
  runOpenSsh,
  startSshd,
  stopAll,
  waitFor,
  writeAskpass,
} from './helpers/openssh.ts';

const dir = tempDir('steward-gw-ship-');
const children = new Set<ChildProcess>();
const serve = new StewardServer(`deployment: acme
operatorNetworks: [127.0.0.1/32]
environments:
  - name: prod
    hosts:
      - { name: web-1, address: 127.0.0.1, checks: [{ name: app, passive: {} }] }
`);
after(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  stopAll();
  await serve.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      [STEWARD, ...args],
      { encoding: 'utf8', env: { ...process.env, ...env } },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

interface Gateway {
  child: ChildProcess;
  output: () => string;
  metrics(): Promise<Record<string, number>>;
  stop(): Promise<void>;
}

async function startGatewayProcess(args: string[], env: NodeJS.ProcessEnv): Promise<Gateway> {
  const child = spawn(process.execPath, [STEWARD, 'gateway', ...args, '--metrics-listen', '127.0.0.1:0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  children.add(child);
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const url = await waitFor(
    () => /metrics on (http:\/\/\S+\/metrics)/.exec(output)?.[1],
    `steward gateway to start: ${output}`,
    20_000,
  );
  return {
    child,
    output: () => output,
    async metrics() {
      const text = await (await fetch(url)).text();
      const values: Record<string, number> = {};
      for (const m of text.matchAll(/^(steward_gateway_audit_\w+) (\S+)$/gm)) values[m[1]!] = Number(m[2]);
      return values;
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      children.delete(child);
    },
  };
}

/** Polls (bounded) until `check` returns something; its last error is the failure message. */
async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    try {
      const found = await check();
      if (found !== undefined) return found;
    } catch (err) {
      last = (err as Error).message;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} ${last}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForLog(gateway: Gateway, pattern: RegExp): Promise<void> {
  await eventually(async () => {
    if (pattern.test(gateway.output())) return true;
    throw new Error(`${pattern} not in:\n${gateway.output()}`);
  }, 'the gateway log');
}

async function servedAudit(): Promise<Record<string, any>[]> {
  const r = await serve.get('/api/v1/audit?source=bastion-1&limit=100000');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.entries;
}

test('the gateway ships its audit to steward serve: exactly once across outages, clear errors, nothing lost', async () => {
  await serve.start();
  const made = steward([
    'token',
    'create',
    '--name',
    'bastion-1',
    '--role',
    'audit-writer',
    '--data',
    serve.dataDir,
  ]);
  assert.equal(made.code, 0, made.stderr);
  const reportToken = made.stdout.trim();
  const certFile = join(serve.dataDir, 'tls/cert.pem');
  const fingerprint = new X509Certificate(readFileSync(certFile)).fingerprint256;
  // serve logs the fingerprint to pin at startup.
  assert.ok(serve.logs.includes(`"tlsFingerprint":"${fingerprint}"`), serve.logs);

  const alice = generateKey(dir, 'alice');
  const bob = generateKey(dir, 'bob');
  const sshd = await startSshd(join(dir, 'sshd'), ['127.0.0.1'], [alice.publicLine, bob.publicLine]);
  const gatewayPort = await freePort();
  const specFile = join(dir, 'bastion.yaml');
  const data = join(dir, 'bastion-data');
  writeFileSync(
    specFile,
    `deployment: acme
operatorNetworks: [127.0.0.1/32]
environments:
  - name: prod
    hosts:
      - { name: web-1, address: 127.0.0.1, ssh: { port: ${sshd.port} } }
  - name: staging
    hosts:
      - { name: db-1, address: 127.0.0.3, ssh: { port: ${sshd.port} } }
access:
  bastion:
    placement: vpc
    port: ${gatewayPort}
    listen: 127.0.0.1
    name: bastion-1
    reportTo: { url: "https://127.0.0.1:${serve.port}", tokenEnv: STEWARD_AUDIT_TOKEN, fingerprint: "${fingerprint}" }
  users:
    - { name: alice, keys: ["${alice.publicLine}"], environments: [prod] }
    - { name: bob, keys: ["${bob.publicLine}"], environments: [prod] }
`,
  );
  const common = ['--spec', specFile, '--data', data];
  for (const user of ['alice', 'bob']) {
    const enrolled = await cli(['access', 'enroll', user, ...common]);
    assert.equal(enrolled.code, 0, enrolled.stderr);
  }
  const sshConfig = join(dir, 'ssh_config');
  writeFileSync(
    sshConfig,
    ['alice', 'bob']
      .map(
        (user) => `Host bastion-${user}
  HostName 127.0.0.1
  Port ${gatewayPort}
  User ${user}
  IdentityFile ${join(dir, user)}
`,
      )
      .join('') +
      `Host *
  User root
  IdentityFile ${alice.privatePath}
  IdentitiesOnly yes
  UserKnownHostsFile /dev/null
  StrictHostKeyChecking no
  ConnectTimeout 10
  LogLevel ERROR
`,
  );
  /** A fresh login through the gateway (each user once: a TOTP code is good once). */
  const jump = async (user: string) => {
    const codeFile = join(dir, `code-${user}`);
    writeFileSync(codeFile, `${totpCode(base32Decode(readTotpSecret(data, user)!), Date.now())}\n`);
    const r = await runOpenSsh(
      'ssh',
      [
        '-F',
        sshConfig,
        '-J',
        `bastion-${user}`,
        '-p',
        String(sshd.port),
        'root@127.0.0.1',
        `echo ${user}-ok`,
      ],
      { askpass: writeAskpass(dir, user, codeFile) },
    );
    assert.equal(r.stdout.trim(), `${user}-ok`, r.stderr);
  };
  const env = { STEWARD_AUDIT_TOKEN: reportToken };
  const auditFile = gatewayPaths(data).auditFile;
  const eventIds = () => readAuditFile(auditFile).map((e) => e.eventId as string);

  // 1. Serve up: alice's connect, auth and forward reach serve's audit API as bastion-1's.
  let gateway = await startGatewayProcess(common, env);
  assert.match(gateway.output(), new RegExp(`audit shipped to https://127.0.0.1:${serve.port} as bastion-1`));
  await jump('alice');
  const shipped = await eventually(async () => {
    const entries = await servedAudit();
    const closed = entries.find((e) => e.action === 'gateway.forward-closed' && e.actor === 'alice');
    return closed ? entries : undefined;
  }, 'alice forward-closed on serve');
  for (const action of ['gateway.connection', 'gateway.auth', 'gateway.forward']) {
    assert.ok(
      shipped.some((e) => e.action === action && e.source === 'bastion-1'),
      `${action} in ${JSON.stringify(shipped.map((e) => e.action))}`,
    );
  }
  const accepted = shipped.find((e) => e.action === 'gateway.auth' && e.details.result === 'accepted');
  assert.equal(accepted?.actor, 'alice');
  assert.equal(accepted?.ip, '127.0.0.1');
  const forward = shipped.find((e) => e.action === 'gateway.forward');
  assert.equal(forward?.target, 'web-1');
  // Local dashboard entries are not bastion-1's; the source filter tells them apart.
  const local = await serve.get('/api/v1/audit?source=local');
  assert.ok(local.body.entries.every((e: { source: string }) => e.source === 'local'));
  await eventually(
    async () => ((await gateway.metrics()).steward_gateway_audit_pending === 0 ? true : undefined),
    'nothing pending',
  );

  const beforeOutage = (await servedAudit()).length;

  // 2. Serve down: bob logs in, a grant is made on the bastion; they wait in the outbox.
  await serve.stop();
  await jump('bob');
  const granted = await cli([
    'access',
    'grant',
    'alice',
    'staging',
    '--for',
    '1h',
    '--reason',
    'INC-7 outage',
    ...common,
  ]);
  assert.equal(granted.code, 0, granted.stderr);
  const queued = await eventually(async () => {
    const m = await gateway.metrics();
    return m.steward_gateway_audit_ship_failures_total! >= 1 && m.steward_gateway_audit_pending! >= 5
      ? m
      : undefined;
  }, 'failures and pending events while serve is down');
  assert.ok(queued.steward_gateway_audit_pending! >= 5);
  assert.match(gateway.output(), /shipping to the monitoring server failed; events stay queued/);

  // 3. Serve back (same port, same data): every event arrives, exactly once.
  await serve.start();
  await eventually(
    async () => ((await gateway.metrics()).steward_gateway_audit_pending === 0 ? true : undefined),
    'the queue to drain',
    90_000,
  );
  const afterOutage = await servedAudit();
  const ids = afterOutage.map((e) => e.eventId);
  assert.equal(new Set(ids).size, ids.length, 'no event stored twice');
  assert.deepEqual([...ids].sort(), eventIds().sort(), 'every event of the bastion is on serve');
  assert.ok(
    afterOutage.some(
      (e) => e.action === 'gateway.auth' && e.actor === 'bob' && e.details.result === 'accepted',
    ),
  );
  const grant = afterOutage.find((e) => e.action === 'gateway.grant');
  assert.equal(grant?.target, 'staging');
  assert.equal(grant?.details.reason, 'INC-7 outage');
  // Counters start again with the process: this serve received what was queued in the outage.
  const serveMetrics = await (await serve.get('/metrics')).body;
  assert.match(
    serveMetrics,
    new RegExp(`^steward_audit_received_total\\{source="bastion-1"\\} ${ids.length - beforeOutage}$`, 'm'),
  );
  await gateway.stop();

  // 4. A wrong token: a clear error, the token nowhere in the log, the events stay queued.
  const wrongToken = 'stw_this-is-not-the-token-0123456789abcdef';
  gateway = await startGatewayProcess(common, { STEWARD_AUDIT_TOKEN: wrongToken });
  const refusedGrant = await cli([
    'access',
    'grant',
    'bob',
    'staging',
    '--for',
    '1h',
    '--reason',
    'INC-8',
    ...common,
  ]);
  assert.equal(refusedGrant.code, 0, refusedGrant.stderr);
  await waitForLog(gateway, /refused the report token \(401/);
  assert.match(gateway.output(), /steward token create --name NAME --role audit-writer/);
  assert.ok(!gateway.output().includes(wrongToken), 'the token is not in the log');
  assert.ok((await gateway.metrics()).steward_gateway_audit_pending! >= 1);
  await gateway.stop();

  // A missing token does not keep the bastion down (operators must still get in): it starts,
  // says what to do, and every attempt fails visibly while the events wait.
  gateway = await startGatewayProcess(common, { STEWARD_AUDIT_TOKEN: '' });
  assert.match(
    gateway.output(),
    /warning: audit shipping cannot work: the environment variable STEWARD_AUDIT_TOKEN holds no token/,
  );
  await eventually(
    async () =>
      (await gateway.metrics()).steward_gateway_audit_ship_failures_total! >= 1 ? true : undefined,
    'a counted failure without a token',
  );
  await gateway.stop();

  // 5. A wrong pinned fingerprint (the flag overrides the spec): refused before the token is sent.
  const wrongPin = fingerprint.replace(/^../, fingerprint.startsWith('00') ? '11' : '00');
  gateway = await startGatewayProcess([...common, '--report-fingerprint', wrongPin], env);
  await waitForLog(gateway, /not the pinned/);
  assert.match(
    gateway.output(),
    new RegExp(`has SHA-256 fingerprint ${fingerprint}, not the pinned ${wrongPin}; nothing was sent`),
  );
  assert.ok(!gateway.output().includes(reportToken), 'the token is not in the log');
  assert.ok((await gateway.metrics()).steward_gateway_audit_pending! >= 1);
  const stillMissing = (await servedAudit()).filter((e) => e.action === 'gateway.grant');
  assert.equal(stillMissing.length, 1, 'the second grant has not arrived');
  await gateway.stop();

  // 6. Right again, verified by CA file this time, with the offset forgotten: the whole log is
  // re-sent, serve skips what it has, and the queued grant arrives; still one row per event.
  rmSync(gatewayPaths(data).auditShippedFile);
  gateway = await startGatewayProcess([...common, '--report-ca', certFile], env);
  await eventually(
    async () => ((await gateway.metrics()).steward_gateway_audit_pending === 0 ? true : undefined),
    'the re-send to finish',
    90_000,
  );
  const final = await servedAudit();
  const finalIds = final.map((e) => e.eventId);
  assert.equal(new Set(finalIds).size, finalIds.length, 'no event stored twice after a re-send');
  assert.deepEqual([...finalIds].sort(), eventIds().sort());
  assert.equal(final.filter((e) => e.action === 'gateway.grant').length, 2);
  assert.match(
    await (await serve.get('/metrics')).body,
    /^steward_audit_duplicates_total\{source="bastion-1"\} [1-9]\d*$/m,
  );
  await gateway.stop();
});

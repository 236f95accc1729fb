// Real OpenSSH end to end: Debian's sshd as the target hosts, ssh/scp/sftp as the operator, the
// Steward gateway as the ProxyJump in between.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import ssh2 from 'ssh2';
import { addGrant, revokeGrants } from '../../src/gateway/index.ts';
import { type Fixture, readAuditFile, startFixture, wrongCode } from './helpers/fixture.ts';
import {
  freePort,
  generateKey,
  runOpenSsh,
  type Sshd,
  startSshd,
  stopAll,
  waitFor,
} from './helpers/openssh.ts';

const DEV = '127.0.0.3';
const PROD = '127.0.0.4';
const STAGING = '127.0.0.5';

let fx: Fixture;
let sshd: Sshd;
let sshdPort: number;
let echo: Server;
let echoPort: number;

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Bytes a peer sends on a raw TCP connection to the gateway from `localAddress`, until it closes. */
function rawBytesFrom(port: number, localAddress: string): Promise<{ bytes: Buffer; error?: string }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const s = connect({ host: '127.0.0.1', port, localAddress });
    let error: string | undefined;
    s.on('data', (d) => {
      chunks.push(d);
      s.destroy(); // one chunk is enough to know it speaks
    });
    s.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code;
    });
    s.on('close', () => resolve({ bytes: Buffer.concat(chunks), ...(error ? { error } : {}) }));
  });
}

describe('gateway with real OpenSSH (ssh -J, scp, sftp)', () => {
  before(async () => {
    echo = createServer((s) => s.pipe(s));
    echoPort = await freePort(DEV);
    await new Promise<void>((r) => echo.listen(echoPort, DEV, r));
    sshdPort = await freePort(DEV);
    fx = await startFixture({
      users: [
        { name: 'alice', environments: ['dev'] },
        { name: 'bob', environments: ['dev'] },
        { name: 'carol', environments: ['dev'] },
        { name: 'erin', environments: ['dev'], totp: false },
      ],
      targets: [
        { host: 'dev-1', address: DEV, environment: 'dev', sshPort: sshdPort, extraPorts: [echoPort] },
        { host: 'prod-1', address: PROD, environment: 'prod', sshPort: sshdPort },
        { host: 'stage-1', address: STAGING, environment: 'staging', sshPort: sshdPort },
      ],
    });
    // The target trusts every operator key for root: only the gateway decides who gets there.
    sshd = await startSshd(
      join(fx.dir, 'sshd'),
      [DEV, PROD, STAGING],
      ['alice', 'bob', 'carol', 'erin'].map((n) => fx.user(n).key.publicLine),
      sshdPort,
    );
  });

  after(async () => {
    try {
      await fx?.close();
    } finally {
      sshd?.stop();
      echo?.close();
      stopAll();
    }
  });

  it('drops connections from outside the operator network before any SSH byte', async () => {
    const outside = await rawBytesFrom(fx.gateway.port, '127.0.0.2');
    assert.equal(outside.bytes.length, 0, 'a refused peer must not even see the SSH banner');
    const inside = await rawBytesFrom(fx.gateway.port, '127.0.0.1');
    assert.match(inside.bytes.toString(), /^SSH-2\.0-Steward_gateway/);

    const alice = fx.user('alice');
    fx.setCode(alice);
    const r = await fx.ssh(alice, ['-o', 'ControlPath=none', '-b', '127.0.0.2', 'steward-bastion']);
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Connection (reset|closed)/);
    const refused = fx.find('connection-refused', {
      source: '127.0.0.2',
      reason: 'outside-operator-networks',
    });
    assert.equal(refused.length, 2);
    assert.equal(fx.find('connection', { source: '127.0.0.2' }).length, 0);
  });

  it('offers modern algorithms only', async () => {
    const alice = fx.user('alice');
    const kex = await fx.ssh(alice, [
      '-o',
      'ControlPath=none',
      '-o',
      'LogLevel=INFO',
      '-o',
      'KexAlgorithms=diffie-hellman-group14-sha1,ecdh-sha2-nistp256',
      'steward-bastion',
    ]);
    assert.equal(kex.code, 255);
    assert.match(kex.stderr, /no matching key exchange method/);
    const cipher = await fx.ssh(alice, [
      '-o',
      'ControlPath=none',
      '-o',
      'LogLevel=INFO',
      '-o',
      'Ciphers=aes128-ctr,aes256-cbc',
      'steward-bastion',
    ]);
    assert.match(cipher.stderr, /no matching cipher/);
    const hostKey = await fx.ssh(alice, [
      '-o',
      'ControlPath=none',
      '-o',
      'LogLevel=INFO',
      '-o',
      'HostKeyAlgorithms=ssh-rsa',
      'steward-bastion',
    ]);
    assert.match(hostKey.stderr, /no matching host key type/);
  });

  it('refuses an unknown key', async () => {
    const alice = fx.user('alice');
    const stranger = generateKey(fx.dir, 'stranger');
    // Alice's config with a key the gateway does not know (the jump ssh reads only the config file).
    const config = join(fx.dir, 'ssh_config-stranger');
    writeFileSync(
      config,
      readFileSync(alice.configFile, 'utf8').replaceAll(alice.key.privatePath, stranger.privatePath),
    );
    const r = await runOpenSsh('ssh', ['-F', config, '-o', 'ControlPath=none', '-T', 'steward-bastion'], {
      askpass: alice.askpass,
    });
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Permission denied \(publickey\)/);
    const refused = await waitFor(
      () => fx.find('auth', { user: 'alice', result: 'refused', reason: 'unknown-key' })[0],
      'unknown-key refusal',
    );
    assert.equal(refused.method, 'publickey');
  });

  it('refuses password authentication, from OpenSSH and from a client that sends one anyway', async () => {
    const alice = fx.user('alice');
    const r = await fx.ssh(alice, [
      '-o',
      'ControlPath=none',
      '-o',
      'PreferredAuthentications=password',
      '-o',
      'PubkeyAuthentication=no',
      'steward-bastion',
    ]);
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Permission denied \(publickey\)/, 'the gateway must not even offer password');

    const err = await new Promise<Error>((resolve) => {
      const client = new ssh2.Client();
      client.on('ready', () => {
        client.end();
        resolve(new Error('password login succeeded'));
      });
      client.on('error', resolve);
      client.connect({
        host: '127.0.0.1',
        port: fx.gateway.port,
        username: 'alice',
        password: 'correct horse battery staple',
        tryKeyboard: false,
        readyTimeout: 5_000,
      });
    });
    assert.match(err.message, /authentication methods failed/);
    const audited = await waitFor(
      () => fx.find('auth', { user: 'alice', method: 'password', result: 'refused' })[0],
      'password refusal',
    );
    assert.equal(audited.reason, 'password-authentication-disabled');
    assert.ok(!JSON.stringify(fx.events).includes('battery staple'), 'the password never reaches the audit');
  });

  it('refuses the right key with a wrong TOTP code', async () => {
    const bob = fx.user('bob');
    fx.setCode(bob, wrongCode(bob.secret));
    const r = await fx.ssh(bob, ['-o', 'ControlPath=none', '-T', 'steward-bastion']);
    assert.equal(r.code, 255);
    assert.match(r.stderr, /Permission denied/);
    assert.equal(fx.find('auth', { user: 'bob', method: 'publickey', result: 'partial' }).length, 1);
    const refused = await waitFor(
      () => fx.find('auth', { user: 'bob', method: 'keyboard-interactive', result: 'refused' })[0],
      'TOTP refusal',
    );
    assert.equal(refused.reason, 'totp-wrong');
    assert.equal(fx.find('forward', { user: 'bob' }).length, 0);
  });

  it('accepts a TOTP code once only', async () => {
    const carol = fx.user('carol');
    fx.setCode(carol);
    const first = await fx.ssh(carol, ['-o', 'ControlPath=none', '-T', 'steward-bastion']);
    assert.match(first.stdout, /no shell here, carol/, first.stderr);
    const second = await fx.ssh(carol, ['-o', 'ControlPath=none', '-T', 'steward-bastion']);
    assert.equal(second.code, 255);
    const reused = await waitFor(
      () => fx.find('auth', { user: 'carol', result: 'refused', reason: 'totp-reused' })[0],
      'TOTP reuse refusal',
    );
    assert.equal(reused.method, 'keyboard-interactive');
  });

  it('refuses a user who has a key but no TOTP enrolment', async () => {
    const erin = fx.user('erin');
    const r = await fx.ssh(erin, ['-o', 'ControlPath=none', '-T', 'steward-bastion']);
    assert.equal(r.code, 255);
    await waitFor(
      () => fx.find('auth', { user: 'erin', reason: 'totp-not-enrolled' })[0],
      'not-enrolled refusal',
    );
  });

  it('runs a command, copies with scp and sftp through ssh -J; one TOTP login serves them all', async () => {
    const alice = fx.user('alice');
    fx.setCode(alice);
    const cmd = await fx.ssh(alice, ['dev-1', 'echo hello from $(hostname -I 2>/dev/null | wc -w) && id -u']);
    assert.equal(cmd.code, 0, cmd.stderr);
    assert.match(cmd.stdout, /^hello from \d+\n0\n$/);

    const local = join(fx.dir, 'payload.bin');
    writeFileSync(local, randomBytes(4 * 1024 * 1024));
    const remote = join(fx.dir, 'payload-remote.bin');
    const scp = await runOpenSsh('scp', ['-F', alice.configFile, '-q', local, `dev-1:${remote}`], {
      askpass: alice.askpass,
    });
    assert.equal(scp.code, 0, scp.stderr);
    const remoteSum = await fx.ssh(alice, ['dev-1', `sha256sum ${remote}`]);
    assert.equal(remoteSum.stdout.split(' ')[0], sha256(local));

    const back = join(fx.dir, 'payload-back.bin');
    const batch = join(fx.dir, 'sftp-batch');
    writeFileSync(batch, `get ${remote} ${back}\nls -l ${remote}\n`);
    const sftp = await runOpenSsh('sftp', ['-F', alice.configFile, '-b', batch, 'dev-1'], {
      askpass: alice.askpass,
    });
    assert.equal(sftp.code, 0, sftp.stderr);
    assert.equal(sha256(back), sha256(local));

    // ControlMaster on the bastion entry: four client runs, one key + TOTP login.
    assert.equal(fx.find('auth', { user: 'alice', result: 'accepted' }).length, 1);
    const closed = await waitFor(() => {
      const c = fx.find('forward-closed', { user: 'alice', host: 'dev-1' });
      return c.length >= 4 ? c : undefined;
    }, 'four closed forwards');
    const upload = closed.find((c) => (c.bytesToTarget as number) > 4 * 1024 * 1024);
    const download = closed.find((c) => (c.bytesFromTarget as number) > 4 * 1024 * 1024);
    assert.ok(upload, 'the scp upload is audited with its byte count');
    assert.ok(download, 'the sftp download is audited with its byte count');
    for (const c of closed) {
      assert.equal(c.environment, 'dev');
      assert.equal(c.port, sshdPort);
      assert.equal(typeof c.durationMs, 'number');
    }
  });

  it('gives no shell on the bastion: a host menu, and exec refused', async () => {
    const alice = fx.user('alice');
    const menu = await fx.ssh(alice, ['-T', 'steward-bastion']);
    assert.equal(menu.code, 0, menu.stderr);
    assert.match(menu.stdout, /no shell here, alice/);
    assert.match(menu.stdout, /dev-1\s+dev/);
    assert.doesNotMatch(menu.stdout, /prod-1/);
    const exec = await fx.ssh(alice, ['steward-bastion', 'cat /etc/passwd']);
    assert.equal(exec.code, 1);
    assert.doesNotMatch(exec.stdout, /root:/);
    assert.match(exec.stderr, /no exec here/);
    await waitFor(() => fx.find('session-refused', { user: 'alice', request: 'exec' })[0], 'exec refusal');
    const sftp = await runOpenSsh('sftp', ['-F', alice.configFile, 'steward-bastion'], {
      askpass: alice.askpass,
    });
    assert.notEqual(sftp.code, 0);
    await waitFor(
      () => fx.find('session-refused', { user: 'alice', request: 'subsystem sftp' })[0],
      'sftp refusal',
    );
  });

  it('forwards only to granted environments and only to SSH or listed ports', async () => {
    const alice = fx.user('alice');
    const prod = await fx.ssh(alice, [
      '-o',
      'ProxyJump=steward-bastion',
      '-p',
      String(sshdPort),
      `root@${PROD}`,
      'true',
    ]);
    assert.equal(prod.code, 255);
    assert.match(prod.stderr, /administratively prohibited|open failed|refused by peer/);
    const refusedEnv = await waitFor(
      () => fx.find('forward-refused', { user: 'alice', requestedHost: PROD })[0],
      'prod refusal',
    );
    assert.equal(refusedEnv.reason, 'environment-not-granted');
    assert.equal(refusedEnv.environment, 'prod');

    const closedPort = await freePort(DEV);
    const port = await fx.ssh(alice, ['-W', `${DEV}:${closedPort}`, 'steward-bastion']);
    assert.notEqual(port.code, 0);
    const refusedPort = await waitFor(
      () => fx.find('forward-refused', { user: 'alice', requestedPort: closedPort })[0],
      'port refusal',
    );
    assert.equal(refusedPort.reason, 'port-not-allowed');

    const unknown = await fx.ssh(alice, ['-W', '127.0.0.9:22', 'steward-bastion']);
    assert.notEqual(unknown.code, 0);
    await waitFor(
      () => fx.find('forward-refused', { requestedHost: '127.0.0.9', reason: 'unknown-target' })[0],
      'unknown',
    );

    // A port the spec lists for the host (extraPorts) is forwarded.
    const echoed = await fx.ssh(alice, ['-W', `dev-1:${echoPort}`, 'steward-bastion'], {
      input: 'ping through the bastion',
    });
    assert.equal(echoed.stdout, 'ping through the bastion');
  });

  it('honours time-bound grants: allowed while active, refused once expired or revoked, live forwards cut', async () => {
    const alice = fx.user('alice');
    const toStaging = (command: string) =>
      fx.ssh(alice, ['-o', 'ProxyJump=steward-bastion', '-p', String(sshdPort), `root@${STAGING}`, command]);
    const refusedBefore = await toStaging('true');
    assert.equal(refusedBefore.code, 255, 'no grant yet');

    addGrant(fx.grantsFile, { user: 'alice', environment: 'staging', durationMs: 60_000, reason: 'INC-123' });
    const ok = await toStaging('echo staged');
    assert.equal(ok.stdout, 'staged\n', ok.stderr);
    const viaGrant = await waitFor(
      () => fx.find('forward', { user: 'alice', host: 'stage-1' })[0],
      'grant forward',
    );
    assert.equal(viaGrant.via, 'grant');
    assert.equal(viaGrant.grantReason, 'INC-123');

    // Revoked while a session is open: the session is cut at the next re-check.
    const started = Date.now();
    const running = toStaging('sleep 15; echo survived');
    await waitFor(
      () => (fx.find('forward', { user: 'alice', host: 'stage-1' }).length >= 2 ? true : undefined),
      'session',
    );
    assert.equal(revokeGrants(fx.grantsFile, { user: 'alice', environment: 'staging' }).length, 1);
    const cut = await running;
    assert.doesNotMatch(cut.stdout, /survived/);
    assert.ok(Date.now() - started < 10_000, 'the session ended at the revocation, not at the command end');
    await waitFor(
      () => fx.find('forward-closed', { user: 'alice', host: 'stage-1', closedBy: 'revoked' })[0],
      'revoked forward',
    );
    assert.equal((await toStaging('true')).code, 255, 'refused after revocation');

    // A grant that runs out: a session open at that moment is cut, new ones are refused as expired.
    addGrant(fx.grantsFile, { user: 'alice', environment: 'staging', durationMs: 1_500, reason: 'INC-124' });
    const expiring = await toStaging('sleep 15; echo survived');
    assert.doesNotMatch(expiring.stdout, /survived/);
    await waitFor(
      () => fx.find('forward-closed', { user: 'alice', host: 'stage-1', closedBy: 'grant-expired' })[0],
      'expired forward',
    );
    const expired = await toStaging('true');
    assert.equal(expired.code, 255);
    const refused = await waitFor(
      () => fx.find('forward-refused', { user: 'alice', host: 'stage-1', reason: 'grant-expired' })[0],
      'expired-grant refusal',
    );
    assert.equal(refused.environment, 'staging');
  });

  it('writes the same audit trail as JSON lines', async () => {
    await waitFor(
      () => (readAuditFile(fx.auditFile).length >= fx.events.length ? true : undefined),
      'audit flush',
    );
    const lines = readAuditFile(fx.auditFile);
    // Each line also has its own eventId (what the monitoring server deduplicates shipped events by).
    assert.deepEqual(
      lines.slice(0, fx.events.length).map(({ eventId: _id, ...event }) => event),
      fx.events,
    );
    for (const e of lines) {
      assert.equal(typeof e.ts, 'string');
      assert.equal(typeof e.type, 'string');
      assert.match(String(e.eventId), /^[0-9a-f-]{36}$/);
    }
    assert.equal(new Set(lines.map((e) => e.eventId)).size, lines.length);
    const stats = fx.gateway.stats();
    assert.ok(stats.connectionsRefused >= 2);
    assert.ok(stats.forwardsRefused >= 4);
    assert.ok(stats.bytesToTargets > 4 * 1024 * 1024);
  });
});

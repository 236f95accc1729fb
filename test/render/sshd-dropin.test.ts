// The rendered sshd drop-in, checked by Debian's own sshd: `sshd -t` accepts it, and a real sshd
// running with it lets the bastion's address in while refusing every other source.
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { renderSshdDropin } from '../../src/render/sshd-dropin.ts';
import { freePort, generateKey, type KeyPair, runOpenSsh, SSHD } from '../gateway/helpers/openssh.ts';

const dir = mkdtempSync(join(tmpdir(), 'steward-sshd-dropin-'));
chmodSync(dir, 0o755); // sshd reads authorized_keys as the logged-in user (nobody)

/** A test sshd_config that includes the drop-in first, as Debian's /etc/ssh/sshd_config does. */
function testConfig(dropin: string, port: number): string {
  const dropinFile = join(dir, 'steward.conf');
  writeFileSync(dropinFile, dropin);
  const file = join(dir, 'sshd_config');
  writeFileSync(
    file,
    [
      `Include ${dropinFile}`,
      `Port ${port}`,
      'ListenAddress 127.0.0.1',
      'ListenAddress 127.0.0.2',
      `HostKey ${join(dir, 'host_ed25519')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'UsePAM no',
      'StrictModes no',
      // the distribution's defaults, which the drop-in must override (first value wins)
      'PasswordAuthentication yes',
      'PermitRootLogin yes',
      'LogLevel VERBOSE',
      '',
    ].join('\n'),
  );
  return file;
}

let key: KeyPair;
before(() => {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_ed25519')]);
  key = generateKey(dir, 'operator');
  writeFileSync(join(dir, 'authorized_keys'), `${key.publicLine}\n`, { mode: 0o644 });
  chmodSync(key.privatePath, 0o600);
});
after(() => rmSync(dir, { recursive: true, force: true }));

describe('sshd drop-in', () => {
  test('sshd -t accepts it, and sshd -T shows it overriding the defaults', () => {
    const config = testConfig(renderSshdDropin({ host: 'web-1', bastionAddress: '127.0.0.1' }), 2222);
    const checked = spawnSync(SSHD, ['-t', '-f', config], { encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stderr);
    const effective = execFileSync(SSHD, ['-T', '-f', config, '-C', 'addr=127.0.0.1,user=nobody,host=x'], {
      encoding: 'utf8',
    });
    assert.match(effective, /^passwordauthentication no$/m);
    assert.match(effective, /^permitrootlogin no$/m);
    assert.match(effective, /^kbdinteractiveauthentication no$/m);
    assert.match(
      effective,
      /^ciphers chacha20-poly1305@openssh.com,aes256-gcm@openssh.com,aes128-gcm@openssh.com$/m,
    );
    assert.match(effective, /^allowusers \*@127\.0\.0\.1$/m);
    const other = execFileSync(SSHD, ['-T', '-f', config, '-C', 'addr=127.0.0.2,user=nobody,host=x'], {
      encoding: 'utf8',
    });
    assert.match(other, /^denyusers \*$/m);
  });

  test('a CIDR bastion, named users and ports render to a config sshd accepts', () => {
    const dropin = renderSshdDropin({
      host: 'db-1',
      bastionAddress: '198.51.100.0/28',
      users: ['admin', 'deploy'],
      ports: [2200],
    });
    assert.match(dropin, /^AllowUsers admin@198\.51\.100\.0\/28 deploy@198\.51\.100\.0\/28$/m);
    const checked = spawnSync(SSHD, ['-t', '-f', testConfig(dropin, 2222)], { encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stderr);
  });

  test('a name or a malformed address is refused before anything is written', () => {
    assert.throws(
      () => renderSshdDropin({ host: 'web-1', bastionAddress: 'bastion.example.com' }),
      /host web-1: bastion address "bastion.example.com" is not an IP address or CIDR/,
    );
    assert.throws(() => renderSshdDropin({ host: 'web-1', bastionAddress: '10.0.0.0/33' }), /not an IP/);
    assert.throws(
      () => renderSshdDropin({ host: 'web-1', bastionAddress: '10.0.0.1', users: ['a b'] }),
      /"a b" is not a login name/,
    );
  });

  test('a real sshd with the drop-in lets the bastion (127.0.0.1) in and refuses 127.0.0.2', async (t) => {
    const port = await freePort();
    const config = testConfig(renderSshdDropin({ host: 'web-1', bastionAddress: '127.0.0.1' }), port);
    const sshd: ChildProcess = spawn(SSHD, ['-D', '-e', '-f', config], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let log = '';
    sshd.stderr?.on('data', (d: Buffer) => {
      log += d.toString();
    });
    t.after(() => sshd.kill('SIGKILL'));
    await waitForPort('127.0.0.2', port);
    const ssh = (source: string, target: string, user: string) =>
      runOpenSsh('ssh', [
        '-v',
        '-b',
        source,
        '-p',
        String(port),
        '-i',
        key.privatePath,
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'BatchMode=yes',
        '-o',
        'StrictHostKeyChecking=no',
        '-o',
        'UserKnownHostsFile=/dev/null',
        `${user}@${target}`,
        'true',
      ]);

    const fromBastion = await ssh('127.0.0.1', '127.0.0.1', 'nobody');
    assert.match(fromBastion.stderr, /Authenticated to 127\.0\.0\.1/, fromBastion.stderr);

    const direct = await ssh('127.0.0.2', '127.0.0.2', 'nobody');
    assert.doesNotMatch(direct.stderr, /Authenticated to/);
    assert.match(direct.stderr, /Permission denied \(publickey\)/);
    assert.equal(direct.code, 255);
    assert.match(
      log,
      /User nobody from 127\.0\.0\.2 not allowed because (listed in DenyUsers|not listed in AllowUsers)/,
    );

    const root = await ssh('127.0.0.1', '127.0.0.1', 'root');
    assert.doesNotMatch(root.stderr, /Authenticated to/);
    assert.equal(root.code, 255);
  });
});

async function waitForPort(host: string, port: number): Promise<void> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host, port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`sshd does not listen on ${host}:${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

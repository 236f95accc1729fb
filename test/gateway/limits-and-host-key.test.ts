// Rate limits, temporary bans, login grace and host key persistence, against real OpenSSH clients.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { type Fixture, startFixture, wrongCode } from './helpers/fixture.ts';
import { generateKey, runOpenSsh, stopAll, waitFor } from './helpers/openssh.ts';

/** What a raw TCP client at 127.0.0.1 receives: the SSH banner, or nothing when dropped. */
function firstBytes(port: number): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const s = connect({ host: '127.0.0.1', port });
    s.on('data', (d) => {
      got += d.toString();
      s.destroy();
    });
    s.on('error', () => {});
    s.on('close', () => resolve(got));
  });
}

const fixtures: Fixture[] = [];
after(async () => {
  for (const f of fixtures) await f.close().catch(() => {});
  stopAll();
});

describe('gateway limits', () => {
  it('bans a user after repeated wrong TOTP codes, even with the right code afterwards', async () => {
    const fx = await startFixture({
      users: [{ name: 'dave', environments: ['dev'] }],
      targets: [],
      limits: { user: { maxFailures: 2, windowMs: 60_000, banMs: 60_000 } },
    });
    fixtures.push(fx);
    const dave = fx.user('dave');
    for (let i = 0; i < 2; i++) {
      fx.setCode(dave, wrongCode(dave.secret));
      const r = await fx.ssh(dave, ['-o', 'ControlPath=none', '-T', 'steward-bastion']);
      assert.equal(r.code, 255);
    }
    const ban = await waitFor(() => fx.find('ban', { scope: 'user', subject: 'dave' })[0], 'user ban');
    assert.ok(Date.parse(ban.until as string) > Date.now() + 50_000);
    fx.setCode(dave);
    const r = await fx.ssh(dave, ['-o', 'ControlPath=none', '-T', 'steward-bastion']);
    assert.equal(r.code, 255, 'a banned user is refused even with the right key and code');
    await waitFor(() => fx.find('auth', { user: 'dave', reason: 'user-banned' })[0], 'banned refusal');
    assert.equal(fx.find('auth', { user: 'dave', result: 'accepted' }).length, 0);
    assert.equal(fx.gateway.stats().bannedUsers, 1);
  });

  it('bans a source after repeated failures: its connections are then dropped at TCP accept', async () => {
    const fx = await startFixture({
      users: [{ name: 'frank', environments: ['dev'] }],
      targets: [],
      limits: { source: { maxFailures: 2, windowMs: 60_000, banMs: 60_000 } },
    });
    fixtures.push(fx);
    assert.match(await firstBytes(fx.gateway.port), /^SSH-2\.0-/);
    const stranger = generateKey(fx.dir, 'stranger');
    const frank = fx.user('frank');
    const config = join(fx.dir, 'ssh_config-stranger');
    writeFileSync(
      config,
      readFileSync(frank.configFile, 'utf8').replaceAll(frank.key.privatePath, stranger.privatePath),
    );
    for (let i = 0; i < 2; i++) {
      const r = await runOpenSsh('ssh', ['-F', config, '-o', 'ControlPath=none', '-T', 'steward-bastion']);
      assert.equal(r.code, 255);
      await waitFor(() => (fx.find('disconnect').length > i ? true : undefined), 'disconnect');
    }
    assert.equal(fx.find('auth', { reason: 'unknown-key' }).length, 2);
    await waitFor(() => fx.find('ban', { scope: 'source', subject: '127.0.0.1' })[0], 'source ban');
    assert.equal(await firstBytes(fx.gateway.port), '', 'a banned source gets no banner');
    await waitFor(
      () => fx.find('connection-refused', { reason: 'source-banned' })[0],
      'banned refusal audit',
    );
    assert.equal(fx.gateway.stats().bannedSources, 1);
  });

  it('limits new connections per source per minute, and cuts connections that do not log in', async () => {
    const fx = await startFixture({
      users: [{ name: 'gina', environments: ['dev'] }],
      targets: [],
      limits: { connectionsPerMinute: 3, loginGraceMs: 300 },
    });
    fixtures.push(fx);
    // Idle connection: never authenticates, cut at the login grace time.
    const idle = await new Promise<number>((resolve) => {
      const started = Date.now();
      const s = connect({ host: '127.0.0.1', port: fx.gateway.port });
      s.on('error', () => {});
      s.on('close', () => resolve(Date.now() - started));
      s.resume();
    });
    assert.ok(idle >= 250 && idle < 3_000, `idle connection closed after ${idle} ms`);
    await waitFor(() => fx.find('disconnect', { reason: 'login-grace-expired' })[0], 'grace audit');
    assert.match(await firstBytes(fx.gateway.port), /^SSH-2\.0-/);
    assert.match(await firstBytes(fx.gateway.port), /^SSH-2\.0-/);
    assert.equal(await firstBytes(fx.gateway.port), '', 'the fourth connection in a minute is dropped');
    await waitFor(() => fx.find('connection-refused', { reason: 'rate-limited' })[0], 'rate audit');
  });
});

describe('gateway host key', () => {
  it('is generated once (ed25519, mode 0600) and kept across restarts', async () => {
    const keyDir = mkdtempSync(join(tmpdir(), 'steward-gw-hostkey-'));
    const hostKeyFile = join(keyDir, 'gateway', 'host_ed25519');
    try {
      const scans: string[] = [];
      for (let run = 0; run < 2; run++) {
        const fx = await startFixture({
          users: [{ name: 'hank', environments: [] }],
          targets: [],
          hostKeyFile,
        });
        try {
          const scan = await runOpenSsh('ssh-keyscan', ['-p', String(fx.gateway.port), '127.0.0.1']);
          const line = scan.stdout.split('\n').find((l) => l.includes('ssh-ed25519'));
          assert.ok(line, `ssh-keyscan saw no ed25519 key: ${scan.stderr}`);
          const key = line.split(' ').slice(1).join(' ');
          assert.equal(key, fx.gateway.hostKey.publicLine);
          scans.push(key);
        } finally {
          await fx.close();
        }
      }
      assert.equal(scans[0], scans[1], 'the host key survives a restart');
      assert.equal(statSync(hostKeyFile).mode & 0o777, 0o600);
      assert.equal(readFileSync(`${hostKeyFile}.pub`, 'utf8').split(' ').slice(0, 2).join(' '), scans[0]);
    } finally {
      rmSync(keyDir, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  type HostPoll,
  hostMetricValues,
  pollHostMetrics,
  type SnmpTarget,
} from '../../src/probes/snmp/index.ts';
import { COMMUNITY, type Snmpd, snmpTool, startSnmpd, V3_USER } from './snmpd-peer.ts';

let agent: Snmpd;
let first: HostPoll;
let firstAt: number;

function v2c(more: Partial<SnmpTarget> = {}): SnmpTarget {
  return {
    host: '127.0.0.1',
    port: agent.port,
    version: '2c',
    community: COMMUNITY,
    timeoutMs: 2000,
    ...more,
  };
}

function v3(user: Partial<NonNullable<SnmpTarget['user']>> = {}, timeoutMs = 2000): SnmpTarget {
  return {
    host: '127.0.0.1',
    port: agent.port,
    version: '3',
    user: {
      name: V3_USER.name,
      level: 'authPriv',
      authProtocol: 'sha',
      authKey: V3_USER.authKey,
      privProtocol: 'aes',
      privKey: V3_USER.privKey,
      ...user,
    },
    timeoutMs,
  };
}

function procMeminfoKb(field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync('/proc/meminfo', 'utf8'));
  assert.ok(m, `${field} in /proc/meminfo`);
  return Number(m[1]);
}

before(async () => {
  agent = await startSnmpd();
  firstAt = Date.now();
  first = await pollHostMetrics(v2c());
});
after(() => agent?.stop());

describe('SNMP host poll against the real snmpd', () => {
  it('v2c: one bulk walk of a few requests reads every group without errors', () => {
    assert.deepEqual(first.errors, []);
    assert.ok(first.requests >= 1 && first.requests <= 6, `${first.requests} requests`);
    const m = first.metrics;
    assert.ok(m.memory && m.load && m.uptimeSeconds !== undefined);
    assert.ok(m.disks.length > 0 && m.interfaces.length > 0);
  });

  it('memory matches snmpget and /proc/meminfo', async () => {
    const [total, free] = await snmpTool('snmpget', agent.port, [
      '1.3.6.1.4.1.2021.4.5.0',
      '1.3.6.1.4.1.2021.4.6.0',
    ]);
    const memory = first.metrics.memory!;
    assert.equal(memory.totalBytes, Number(total) * 1024);
    assert.equal(memory.totalBytes, procMeminfoKb('MemTotal') * 1024);
    assert.ok(Number(free) > 0);
    const used = 100 - (procMeminfoKb('MemAvailable') / procMeminfoKb('MemTotal')) * 100;
    assert.ok(
      Math.abs(memory.usedPercent - used) < 5,
      `used ${memory.usedPercent}% vs /proc ${used.toFixed(2)}%`,
    );
    assert.ok(memory.usedPercent > 0 && memory.usedPercent < 100);
  });

  it('load matches /proc/loadavg within tolerance', () => {
    const [one, five, fifteen] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
    const load = first.metrics.load!;
    // snmpd caches for a few seconds and other tests run meanwhile: allow for the drift.
    const near = (a: number, b: number): boolean => Math.abs(a - b) <= Math.max(1, b * 0.5);
    assert.ok(near(load.one, one!), `load.1 ${load.one} vs ${one}`);
    assert.ok(near(load.five, five!), `load.5 ${load.five} vs ${five}`);
    assert.ok(near(load.fifteen, fifteen!), `load.15 ${load.fifteen} vs ${fifteen}`);
  });

  it('uptime is the host uptime (hrSystemUptime, as /proc/uptime), not the fresh agent one', async () => {
    const procUptime = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    const m = first.metrics;
    assert.ok(
      Math.abs(m.uptimeSeconds! - procUptime) < 15,
      `uptime ${m.uptimeSeconds} vs /proc ${procUptime}`,
    );
    assert.ok(m.agentUptimeSeconds! < 60, 'the agent was started by this test');
    assert.equal(m.rebooted, false);
    const [ticks] = await snmpTool('snmpget', agent.port, ['1.3.6.1.2.1.25.1.1.0']);
    assert.ok(Math.abs(Number(ticks) / 100 - m.uptimeSeconds!) < 15);
  });

  it('disks per mount match snmpwalk of dskTable, with df-style used percent', async () => {
    const paths = await snmpTool('snmpwalk', agent.port, ['1.3.6.1.4.1.2021.9.1.2']);
    const totalsKb = await snmpTool('snmpwalk', agent.port, ['1.3.6.1.4.1.2021.9.1.6']);
    const root = first.metrics.disks.find((d) => d.mount === '/');
    assert.ok(root, `/ among ${first.metrics.disks.map((d) => d.mount).join(', ')}`);
    assert.equal(root.source, 'dskTable');
    const i = paths.indexOf('/');
    assert.equal(root.totalBytes, Number(totalsKb[i]) * 1024);
    const expected = (root.usedBytes / (root.usedBytes + root.availableBytes!)) * 100;
    assert.ok(Math.abs(root.usedPercent - expected) < 0.01);
    for (const path of paths)
      assert.ok(
        first.metrics.disks.some((d) => d.mount === path),
        `${path} polled`,
      );
  });

  it('interfaces are named as ifName lists them', async () => {
    const names = await snmpTool('snmpwalk', agent.port, ['1.3.6.1.2.1.31.1.1.1.1']);
    assert.deepEqual(
      first.metrics.interfaces.map((i) => i.name),
      names,
    );
    assert.equal(first.metrics.interfaces.find((i) => i.name === 'lo')?.up, true);
    assert.equal(first.metrics.interfaces[0]?.inBytesPerSecond, undefined, 'no rate without a previous poll');
  });

  it('v3 authPriv (SHA/AES) reads the same host', async () => {
    const poll = await pollHostMetrics(v3());
    assert.deepEqual(poll.errors, []);
    assert.equal(poll.metrics.memory?.totalBytes, first.metrics.memory?.totalBytes);
    assert.deepEqual(
      poll.metrics.disks.map((d) => d.mount),
      first.metrics.disks.map((d) => d.mount),
    );
    const auth = [
      '-v3',
      '-l',
      'authPriv',
      '-u',
      V3_USER.name,
      '-a',
      'SHA',
      '-A',
      V3_USER.authKey,
      '-x',
      'AES',
      '-X',
      V3_USER.privKey,
    ];
    const [total] = await snmpTool('snmpget', agent.port, ['1.3.6.1.4.1.2021.4.5.0'], auth);
    assert.equal(poll.metrics.memory?.totalBytes, Number(total) * 1024);
  });

  it('a wrong community is a clear error, within the timeout', async () => {
    const started = Date.now();
    const poll = await pollHostMetrics(v2c({ community: 'not-the-community', timeoutMs: 400 }));
    assert.ok(Date.now() - started < 1500);
    assert.equal(poll.errors.length, 1);
    assert.match(
      poll.errors[0]!,
      /^no answer from 127\.0\.0\.1:\d+ \(SNMP v2c\) within 0\.4 s: a wrong community/,
    );
    assert.doesNotMatch(poll.errors[0]!, /not-the-community/, 'the community is a secret');
    assert.deepEqual(poll.metrics.disks, []);
  });

  it('wrong v3 credentials are clear errors that never show the keys', async () => {
    const wrongAuth = await pollHostMetrics(v3({ authKey: 'not-the-auth-key' }, 800));
    assert.match(
      wrongAuth.errors[0]!,
      /SNMP v3 user steward, authPriv\) refused the credentials: wrong authKey/,
    );
    const unknownUser = await pollHostMetrics(v3({ name: 'intruder' }, 800));
    assert.match(unknownUser.errors[0]!, /does not know this user: create it in snmpd\.conf/);
    const wrongPriv = await pollHostMetrics(v3({ privKey: 'not-the-priv-key' }, 600));
    assert.match(wrongPriv.errors[0]!, /no answer .* a wrong privKey/);
    for (const poll of [wrongAuth, unknownUser, wrongPriv])
      assert.doesNotMatch(poll.errors.join(' '), /not-the-|pass-123/);
    const short = await pollHostMetrics(v3({ authKey: 'short' }));
    assert.match(short.errors[0]!, /shorter than 8 characters/);
  });

  it('two polls give CPU shares in [0,100] from ssCpuRaw and interface rates, all as named values', async () => {
    // snmpd refreshes its CPU counters every 5 s: the second poll must come after that.
    const wait = 5600 - (Date.now() - firstAt);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const second = await pollHostMetrics(v2c(), first.state);
    assert.deepEqual(second.errors, []);
    const cpu = second.metrics.cpu!;
    assert.equal(cpu.source, 'ssCpuRaw');
    for (const share of [cpu.usagePercent, cpu.userPercent, cpu.systemPercent, cpu.idlePercent]) {
      assert.ok(share !== undefined && share >= 0 && share <= 100, `share ${share}`);
    }
    assert.ok(Math.abs(cpu.usagePercent + cpu.idlePercent! + cpu.iowaitPercent! - 100) < 0.05);
    const lo = second.metrics.interfaces.find((i) => i.name === 'lo')!;
    assert.ok(lo.inBytesPerSecond !== undefined && lo.inBytesPerSecond >= 0);
    const values = new Map(hostMetricValues(second.metrics).map((v) => [v.name, v]));
    assert.equal(values.get('cpu.usage')?.unit, '%');
    assert.equal(values.get('memory.used_percent')?.value, second.metrics.memory?.usedPercent);
    assert.ok(values.has('disk./.used_percent'));
    assert.ok(values.has('load.1') && values.has('load.5') && values.has('load.15'));
    assert.equal(values.get('if.lo.in_bps')?.value, lo.inBytesPerSecond * 8);
    assert.equal(values.get('uptime.rebooted')?.value, 0);
  });
});

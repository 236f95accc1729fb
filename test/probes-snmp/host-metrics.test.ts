import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CpuRaw,
  computeHostMetrics,
  counterDelta,
  cpuFromRaw,
  hostMetricValues,
  type RawInterface,
  type RawSample,
  uptimeWentBackwards,
} from '../../src/probes/snmp/index.ts';

const T0 = 1_700_000_000_000;

function cpu(user: number, system: number, idle: number, more: Partial<CpuRaw> = {}): CpuRaw {
  return { user, nice: 0, system, idle, wait: 0, kernel: 0, interrupt: 0, softirq: 0, steal: 0, ...more };
}

function iface(
  name: string,
  inOctets: number,
  outOctets: number,
  more: Partial<RawInterface> = {},
): RawInterface {
  return {
    index: '2',
    name,
    up: true,
    speedMbps: 1000,
    inOctets,
    outOctets,
    octetBits: 64,
    inErrors: 0,
    outErrors: 0,
    ...more,
  };
}

function sample(at: number, more: Partial<RawSample> = {}): RawSample {
  return {
    at,
    sysUpTimeTicks: 100_000,
    hrSystemUptimeTicks: 500_000,
    processorLoads: [],
    storage: [],
    disks: [],
    interfaces: [],
    ...more,
  };
}

/** A second sample 60 s after `s`, uptimes advanced accordingly. */
function later(s: RawSample, more: Partial<RawSample> = {}): RawSample {
  return sample(s.at + 60_000, {
    sysUpTimeTicks: (s.sysUpTimeTicks ?? 0) + 6000,
    hrSystemUptimeTicks: (s.hrSystemUptimeTicks ?? 0) + 6000,
    ...more,
  });
}

describe('counters', () => {
  it('a 32-bit counter that wraps gives the wrapped delta, a 64-bit one that drops is a reset', () => {
    assert.equal(counterDelta(100, 250, 32), 150);
    assert.equal(counterDelta(2 ** 32 - 100, 50, 32), 150);
    assert.equal(counterDelta(2 ** 32 - 100, 50, 32, 100), undefined, 'beyond the plausible maximum');
    assert.equal(counterDelta(5_000_000, 10, 64), undefined);
    assert.equal(counterDelta(10, 10, 64), 0);
  });

  it('uptime going backwards is a restart, unless it is the 497-day TimeTicks wrap', () => {
    assert.equal(uptimeWentBackwards(500_000, 1000, 60_000), true);
    assert.equal(uptimeWentBackwards(2 ** 32 - 3000, 3000, 60_000), false);
    assert.equal(uptimeWentBackwards(1000, 7000, 60_000), false);
  });
});

describe('host metrics from two polls', () => {
  it('CPU shares from ssCpuRaw ticks, Linux style (irq and softirq apart from system)', () => {
    const shares = cpuFromRaw(
      cpu(1000, 500, 8000),
      cpu(1300, 600, 8500, { interrupt: 50, softirq: 50 }),
      10_000,
      1,
    );
    assert.deepEqual(shares, {
      usagePercent: 50,
      userPercent: 30,
      systemPercent: 20,
      iowaitPercent: 0,
      stealPercent: 0,
      idlePercent: 50,
    });
  });

  it('CPU ticks wrapping at 2^32 still give sane shares; absurd jumps give none', () => {
    const before = cpu(2 ** 32 - 100, 10, 2 ** 32 - 100);
    const wrapped = cpuFromRaw(before, cpu(100, 110, 500), 10_000, 1);
    assert.ok(wrapped);
    assert.equal(wrapped.usagePercent, 33.33, '(200 user + 100 system) of 900 ticks');
    assert.equal(cpuFromRaw(cpu(3_000_000_000, 0, 0), cpu(5, 0, 0), 10_000, 1), undefined);
  });

  it('BSD style (kernel counted, system already includes interrupts): no double counting', () => {
    const shares = cpuFromRaw(
      cpu(0, 0, 0, { kernel: 1 }),
      cpu(25, 25, 50, { kernel: 21, interrupt: 5 }),
      1000,
      1,
    );
    assert.equal(shares?.usagePercent, 50);
  });

  it('64-bit interface counters become bytes/s; a 32-bit wrap is handled; a reset gives no rate', () => {
    const a = sample(T0, {
      interfaces: [
        iface('eth0', 1_000_000, 2_000_000),
        iface('eth1', 2 ** 32 - 1_000_000, 0, { octetBits: 32 }),
        iface('eth2', 9_000_000_000, 10),
      ],
    });
    const first = computeHostMetrics(a);
    const b = later(a, {
      interfaces: [
        iface('eth0', 7_000_000, 2_600_000, { inErrors: 120 }),
        iface('eth1', 5_000_000, 60, { octetBits: 32 }),
        iface('eth2', 1000, 20),
      ],
    });
    const { metrics } = computeHostMetrics(b, first.state);
    const [eth0, eth1, eth2] = metrics.interfaces;
    assert.equal(eth0?.inBytesPerSecond, 100_000);
    assert.equal(eth0?.outBytesPerSecond, 10_000);
    assert.equal(eth0?.inErrorsPerSecond, 2);
    assert.equal(eth1?.inBytesPerSecond, 100_000, '(1e6 + 5e6) / 60 s across the 2^32 wrap');
    assert.equal(eth2?.inBytesPerSecond, undefined, 'a 64-bit counter that dropped was reset');
    assert.equal(eth2?.outBytesPerSecond, 0.17, 'the other direction kept counting');
  });

  it('a 32-bit wrap faster than the link could carry is taken as a reset', () => {
    const a = sample(T0, { interfaces: [iface('eth0', 2 ** 32 - 10, 0, { octetBits: 32, speedMbps: 1 })] });
    const b = later(a, { interfaces: [iface('eth0', 2 ** 31, 0, { octetBits: 32, speedMbps: 1 })] });
    const { metrics } = computeHostMetrics(b, computeHostMetrics(a).state);
    assert.equal(metrics.interfaces[0]?.inBytesPerSecond, undefined);
  });

  it('a reboot (host uptime backwards) is flagged and re-bases counters: no rates, no negatives', () => {
    const a = sample(T0, {
      cpuRaw: cpu(10_000, 5000, 90_000),
      interfaces: [iface('eth0', 50_000_000, 50_000_000, { octetBits: 32 })],
    });
    const first = computeHostMetrics(a);
    const b = sample(T0 + 60_000, {
      sysUpTimeTicks: 2000,
      hrSystemUptimeTicks: 3000,
      cpuRaw: cpu(100, 50, 2000),
      interfaces: [iface('eth0', 1000, 1000, { octetBits: 32 })],
    });
    const { metrics, state } = computeHostMetrics(b, first.state);
    assert.equal(metrics.rebooted, true);
    assert.equal(metrics.agentRestarted, true);
    assert.equal(metrics.cpu, undefined);
    assert.equal(metrics.interfaces[0]?.inBytesPerSecond, undefined);
    assert.equal(metrics.uptimeSeconds, 30);
    const values = new Map(hostMetricValues(metrics).map((v) => [v.name, v.value]));
    assert.equal(values.get('uptime.rebooted'), 1);
    assert.equal(values.has('if.eth0.in_bps'), false);
    // The next poll after the reboot has rates again.
    const c = later(b, {
      cpuRaw: cpu(200, 100, 2150),
      interfaces: [iface('eth0', 61_000, 1000, { octetBits: 32 })],
    });
    const next = computeHostMetrics(c, state).metrics;
    assert.equal(next.rebooted, false);
    assert.equal(next.interfaces[0]?.inBytesPerSecond, 1000);
    assert.equal(next.cpu?.usagePercent, 50);
  });

  it('an agent restart (sysUpTime backwards, host uptime on) re-bases without calling it a reboot', () => {
    const a = sample(T0, { interfaces: [iface('eth0', 1000, 1000)] });
    const b = later(a, { sysUpTimeTicks: 500, interfaces: [iface('eth0', 61_000, 1000)] });
    const { metrics } = computeHostMetrics(b, computeHostMetrics(a).state);
    assert.equal(metrics.rebooted, false);
    assert.equal(metrics.agentRestarted, true);
    assert.equal(metrics.interfaces[0]?.inBytesPerSecond, undefined);
  });

  it('memory, swap and disks: used from MemAvailable, df-style disk percent, dskTable before hrStorage', () => {
    const { metrics } = computeHostMetrics(
      sample(T0, {
        memory: {
          totalKb: 1000,
          freeKb: 100,
          availableKb: 600,
          buffersKb: 50,
          cachedKb: 300,
          swapTotalKb: 200,
          swapFreeKb: 150,
        },
        disks: [{ mount: '/', device: '/dev/vda', totalBytes: 1000, availableBytes: 300, usedBytes: 600 }],
        storage: [
          { mount: '/', totalBytes: 1000, usedBytes: 600 },
          { mount: '/data', totalBytes: 400, usedBytes: 100 },
        ],
        processorLoads: [20, 40],
      }),
    );
    assert.equal(metrics.memory?.usedPercent, 40);
    assert.equal(metrics.memory?.usedBytes, 400 * 1024);
    assert.equal(metrics.swap?.usedPercent, 25);
    assert.deepEqual(
      metrics.disks.map((d) => [d.mount, d.usedPercent, d.source]),
      [
        ['/', 66.67, 'dskTable'],
        ['/data', 25, 'hrStorage'],
      ],
    );
    assert.deepEqual(metrics.cpu, { usagePercent: 30, source: 'hrProcessorLoad', cores: 2 });
    const names = hostMetricValues(metrics).map((v) => `${v.name} ${v.unit}`);
    for (const expected of [
      'cpu.usage %',
      'memory.used_percent %',
      'swap.used_percent %',
      'disk./.used_percent %',
      'disk./data.used_bytes B',
      'uptime.seconds s',
    ]) {
      assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    }
  });
});

describe('metric values of an agent that did not answer', () => {
  it('stores nothing, not even "not rebooted"', () => {
    assert.deepEqual(
      hostMetricValues({ at: T0, rebooted: false, agentRestarted: false, disks: [], interfaces: [] }),
      [],
    );
  });
});

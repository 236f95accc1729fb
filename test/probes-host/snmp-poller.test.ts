/** One SNMP walk per host per interval: concurrent checks share a poll, a young poll is reused, rates follow. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { SnmpProbe } from '../../src/core/index.ts';
import { HostPoller, runSnmp, snmpSeriesName } from '../../src/probes/snmp/index.ts';
import { COMMUNITY, type Snmpd, startSnmpd } from '../probes-snmp/snmpd-peer.ts';

let snmpd: Snmpd;
before(async () => {
  snmpd = await startSnmpd();
});
after(async () => {
  await snmpd?.stop();
});

function probe(metric: string, port = snmpd.port): SnmpProbe {
  return { kind: 'snmp', metric, agent: { host: '127.0.0.1', port, version: '2c', community: COMMUNITY } };
}

const labels = { environment: 'lab', host: 'box' };

test('concurrent checks of a host share one poll; only the polling check returns the samples', async () => {
  const poller = new HostPoller();
  const opts = { timeoutMs: 3000, intervalMs: 60_000, labels, poller };
  const results = await Promise.all([
    runSnmp(probe('load.1'), opts),
    runSnmp(probe('memory.used_percent'), { ...opts, warning: '101' }),
    runSnmp(probe('uptime.seconds'), opts),
  ]);
  assert.equal(poller.polls, 1);
  assert.deepEqual(
    results.map((r) => r.state),
    [0, 0, 0],
    results.map((r) => r.output).join('\n'),
  );
  assert.equal(results.filter((r) => r.samples !== undefined).length, 1);
  const samples = results.find((r) => r.samples)!.samples!;
  const memory = samples.find((s) => s.name === 'snmp_memory_used_percent');
  assert.ok(memory);
  assert.deepEqual(memory.labels, labels);
  assert.equal(results[1]!.perfdata[0]!.label, 'memory.used_percent');
  assert.equal(results[1]!.perfdata[0]!.warn, '101');

  // Younger than half the interval: reused, no new walk, no samples stored again.
  const again = await runSnmp(probe('load.1'), opts);
  assert.equal(poller.polls, 1);
  assert.equal(again.samples, undefined);
});

test('a poll older than half the interval is repeated, and the second poll gives rates', async () => {
  const poller = new HostPoller();
  const opts = { timeoutMs: 3000, intervalMs: 200, labels, poller };
  const first = await runSnmp(probe('if.lo.in_bps'), opts);
  assert.equal(first.state, 0);
  assert.match(first.output, /no value yet, a rate needs a second poll/);
  await new Promise((r) => setTimeout(r, 150));
  const second = await runSnmp(probe('if.lo.in_bps'), opts);
  assert.equal(poller.polls, 2);
  assert.match(second.output, /^SNMP OK - if\.lo\.in_bps = [\d.]+ b\/s/);
  assert.ok(second.samples?.some((s) => s.name === 'snmp_if_in_bps' && s.labels.interface === 'lo'));
});

test('thresholds apply to the selected value; an unreachable agent is UNKNOWN naming where', async () => {
  const poller = new HostPoller();
  const critical = await runSnmp(probe('uptime.seconds'), {
    timeoutMs: 3000,
    intervalMs: 60_000,
    labels,
    poller,
    critical: '0:1',
  });
  assert.equal(critical.state, 2);
  assert.match(critical.output, /outside critical range 0:1/);
  const down = await runSnmp(probe('load.1', 9), { timeoutMs: 400, intervalMs: 60_000, labels, poller });
  assert.equal(down.state, 3);
  assert.match(down.output, /127\.0\.0\.1:9 \(SNMP v2c\)/);
});

test('series names: snmp_<group>_<what>, mount and interface as labels', () => {
  assert.deepEqual(snmpSeriesName('cpu.usage'), { name: 'snmp_cpu_usage', labels: {} });
  assert.deepEqual(snmpSeriesName('disk./var/lib.used_percent'), {
    name: 'snmp_disk_used_percent',
    labels: { mount: '/var/lib' },
  });
  assert.deepEqual(snmpSeriesName('if.eth0.1.in_bps'), {
    name: 'snmp_if_in_bps',
    labels: { interface: 'eth0.1' },
  });
  assert.deepEqual(snmpSeriesName('snmp.agent_uptime.seconds'), {
    name: 'snmp_agent_uptime_seconds',
    labels: {},
  });
});

test('hosts no check asks about for an hour are forgotten', async () => {
  const poller = new HostPoller();
  const now = Date.now();
  await poller.get({ ...probe('load.1').agent, timeoutMs: 2000 }, 30_000, now);
  assert.equal(poller.size, 1);
  await poller.get({ ...probe('load.1', 9).agent, timeoutMs: 300 }, 30_000, now + 2 * 60 * 60_000);
  assert.equal(poller.size, 1, 'the first host is forgotten, the second kept');
});

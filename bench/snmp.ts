// node bench/snmp.ts [--seconds=5] [--concurrency=16]
//
// SNMP hosts polled per second against the same real snmpd (run in the foreground on loopback):
// Steward's poll (one GetBulk walk of every scalar and column it needs, in-process) against the
// per-request process model of classic setups (snmpget for the scalars and one snmpbulkwalk
// process per column, as check_snmp/Cacti scripts fork them). Both read the same OIDs.
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { pollHostMetrics } from '../src/probes/snmp/index.ts';
import { COLUMNS, SCALARS } from '../src/probes/snmp/oids.ts';
import { COMMUNITY, startSnmpd } from '../test/probes-snmp/snmpd-peer.ts';

export interface SnmpBenchResult {
  cores: number;
  node: string;
  seconds: number;
  concurrency: number;
  /** Full host polls per second (every built-in metric of a host). */
  stewardHostsPerSecond: number;
  forkedHostsPerSecond: number;
  ratio: number;
  /** GetBulk requests one Steward poll takes, and processes one forked poll takes. */
  stewardRequestsPerPoll: number;
  forkedProcessesPerPoll: number;
  stewardFailures: number;
  forkedFailures: number;
}

async function closedLoop(
  seconds: number,
  concurrency: number,
  one: () => Promise<boolean>,
): Promise<{ perSecond: number; failures: number }> {
  const end = performance.now() + seconds * 1000;
  let done = 0;
  let failures = 0;
  const lane = async (): Promise<void> => {
    while (performance.now() < end) {
      if (await one()) done++;
      else failures++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  return { perSecond: done / ((performance.now() - started) / 1000), failures };
}

function fork(tool: string, args: string[]): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(tool, args, { env: { ...process.env, MIBS: '' } }, (error) => resolve(!error));
  });
}

export async function benchSnmp(
  opts: { seconds?: number; concurrency?: number } = {},
): Promise<SnmpBenchResult> {
  const seconds = opts.seconds ?? 5;
  const concurrency = opts.concurrency ?? 16;
  const snmpd = await startSnmpd();
  try {
    const target = {
      host: '127.0.0.1',
      port: snmpd.port,
      version: '2c' as const,
      community: COMMUNITY,
      timeoutMs: 5000,
    };
    let requests = 0;
    const ours = await closedLoop(seconds, concurrency, async () => {
      const poll = await pollHostMetrics(target);
      requests = poll.requests;
      return poll.errors.length === 0 && poll.metrics.load !== undefined;
    });
    const base = ['-v2c', '-c', COMMUNITY, '-On', '-Oqv', `127.0.0.1:${snmpd.port}`];
    const columns = Object.values(COLUMNS);
    const theirs = await closedLoop(seconds, concurrency, async () => {
      if (!(await fork('/usr/bin/snmpget', [...base, ...Object.values(SCALARS)]))) return false;
      for (const column of columns)
        if (!(await fork('/usr/bin/snmpbulkwalk', [...base, column]))) return false;
      return true;
    });
    return {
      cores: cpus().length,
      node: process.version,
      seconds,
      concurrency,
      stewardHostsPerSecond: Math.round(ours.perSecond),
      forkedHostsPerSecond: Math.round(theirs.perSecond * 10) / 10,
      ratio: Math.round((ours.perSecond / theirs.perSecond) * 10) / 10,
      stewardRequestsPerPoll: requests,
      forkedProcessesPerPoll: 1 + columns.length,
      stewardFailures: ours.failures,
      forkedFailures: theirs.failures,
    };
  } finally {
    await snmpd.stop();
  }
}

if (import.meta.main) {
  const arg = (name: string): number | undefined => {
    const a = process.argv.find((x) => x.startsWith(`--${name}=`));
    return a ? Number(a.slice(name.length + 3)) : undefined;
  };
  const r = await benchSnmp({ seconds: arg('seconds'), concurrency: arg('concurrency') });
  process.stderr.write(
    `[bench] snmp hosts polled/s: steward ${r.stewardHostsPerSecond} (${r.stewardRequestsPerPoll} requests/poll)  forked ${r.forkedHostsPerSecond} (${r.forkedProcessesPerPoll} processes/poll)  ratio ${r.ratio}x  failures ${r.stewardFailures}/${r.forkedFailures}\n`,
  );
  process.stdout.write(`${JSON.stringify(r)}\n`);
}

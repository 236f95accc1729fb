// node bench/nrpe.ts [--seconds=5] [--concurrency=32]
//
// NRPE checks per second against the same real nrpe daemon (Debian's nagios-nrpe-server, run in
// the foreground on loopback): Steward's NRPE client in-process, against check_nrpe forked once
// per check as Nagios runs it. Measured with TLS (nrpe's default, anonymous DH) and without, on
// the daemon's built-in version query (_NRPE_CHECK: protocol cost only) and on a check_dummy
// command (the daemon forks a plugin, as in real use).
import { execFile } from 'node:child_process';
import { cpus } from 'node:os';
import { type NrpeProbe, runNrpe } from '../src/probes/nrpe/index.ts';
import { CHECK_NRPE, PLUGINS, startNrpe } from '../test/probes-nrpe/nrpe-peers.ts';

export interface NrpeBenchRow {
  tls: boolean;
  command: string;
  stewardChecksPerSecond: number;
  checkNrpeChecksPerSecond: number;
  ratio: number;
  /** Checks that did not return the expected output (should be 0). */
  stewardFailures: number;
  checkNrpeFailures: number;
}

export interface NrpeBenchResult {
  cores: number;
  node: string;
  seconds: number;
  concurrency: number;
  rows: NrpeBenchRow[];
}

/** Runs `one` with `concurrency` in flight for `seconds`; counts completions and failures. */
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

function forkCheckNrpe(args: string[], expected: string): Promise<boolean> {
  return new Promise((resolve) => {
    execFile(CHECK_NRPE, args, (error, stdout) => resolve(!error && stdout.startsWith(expected)));
  });
}

export async function benchNrpe(
  opts: { seconds?: number; concurrency?: number } = {},
): Promise<NrpeBenchResult> {
  const seconds = opts.seconds ?? 5;
  const concurrency = opts.concurrency ?? 32;
  const commands = { dummy: `${PLUGINS}/check_dummy 0 "bench ok|x=1"` };
  const rows: NrpeBenchRow[] = [];
  for (const tls of [true, false]) {
    const daemon = await startNrpe({ commands, ssl: tls, extra: ['debug=0', 'listen_queue_size=128'] });
    try {
      for (const [command, expected] of [
        ['_NRPE_CHECK', 'NRPE v'],
        ['dummy', 'OK: bench ok'],
      ] as const) {
        const probe: NrpeProbe = {
          kind: 'nrpe',
          host: '127.0.0.1',
          port: daemon.port,
          command,
          args: [],
          tls: tls ? 'anonymous-dh' : 'none',
        };
        const ours = await closedLoop(seconds, concurrency, async () => {
          const r = await runNrpe(probe, { timeoutMs: 10_000, timeoutState: 2 });
          return r.output.startsWith(expected);
        });
        const args = ['-H', '127.0.0.1', '-p', String(daemon.port), ...(tls ? [] : ['-n']), '-c', command];
        const theirs = await closedLoop(seconds, concurrency, () => forkCheckNrpe(args, expected));
        rows.push({
          tls,
          command,
          stewardChecksPerSecond: Math.round(ours.perSecond),
          checkNrpeChecksPerSecond: Math.round(theirs.perSecond),
          ratio: Math.round((ours.perSecond / theirs.perSecond) * 100) / 100,
          stewardFailures: ours.failures,
          checkNrpeFailures: theirs.failures,
        });
      }
    } finally {
      await daemon.stop();
    }
  }
  return { cores: cpus().length, node: process.version, seconds, concurrency, rows };
}

if (import.meta.main) {
  const arg = (name: string): number | undefined => {
    const a = process.argv.find((x) => x.startsWith(`--${name}=`));
    return a ? Number(a.slice(name.length + 3)) : undefined;
  };
  const result = await benchNrpe({ seconds: arg('seconds'), concurrency: arg('concurrency') });
  for (const r of result.rows) {
    process.stderr.write(
      `[bench] nrpe ${r.tls ? 'TLS (ADH)' : 'plain    '} ${r.command.padEnd(11)} steward ${String(r.stewardChecksPerSecond).padStart(6)}/s  check_nrpe ${String(r.checkNrpeChecksPerSecond).padStart(6)}/s  ratio ${r.ratio}x  failures ${r.stewardFailures}/${r.checkNrpeFailures}\n`,
    );
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

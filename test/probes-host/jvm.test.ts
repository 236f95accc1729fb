/**
 * The JVM heap check follows a real JVM (openjdk 17) that fills its heap in steps: agentless with
 * the check_jvm_jstat plugin Steward ships (jstat), and over Jolokia's JSON (served by the same
 * JVM from its MXBeans, as Jolokia's agent jar is not packaged by Debian or npm).
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { JvmProbe } from '../../src/core/index.ts';
import { runJvm } from '../../src/probes/jvm/index.ts';
import { freePort } from '../helpers/steward-server.ts';

const SOURCE = join(import.meta.dirname, '../fixtures/jvm/HeapFiller.java');
let dir = '';
let jvm: ChildProcessWithoutNullStreams;
let jolokia = '';
/** Unique on this machine, so the plugin's pgrep -f finds this JVM only. */
const marker = `steward-heap-test-${process.pid}`;
const lines: string[] = [];
let waiting: (() => void) | undefined;

function step(command: string): Promise<void> {
  return new Promise((resolve) => {
    const before = lines.length;
    waiting = () => {
      if (lines.length > before) resolve();
    };
    jvm.stdin.write(`${command}\n`);
  });
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steward-jvm-'));
  execFileSync('javac', ['-d', dir, SOURCE]);
  const port = await freePort();
  jolokia = `http://127.0.0.1:${port}/jolokia`;
  jvm = spawn('java', [
    '-Xmx64m',
    '-XX:+UseSerialGC',
    `-Dsteward.test=${marker}`,
    '-cp',
    dir,
    'HeapFiller',
    String(port),
  ]);
  let buffered = '';
  jvm.stdout.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop()!;
    lines.push(...parts);
    waiting?.();
  });
  await new Promise<void>((resolve) => {
    waiting = () => {
      if (lines.length > 0) resolve();
    };
  });
});

after(() => {
  jvm?.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const opts = { timeoutMs: 15_000, timeoutState: 2 as const, hostName: 'box', pluginDirs: [] };
const local: JvmProbe = {
  kind: 'jvm',
  metric: 'heap',
  source: { kind: 'local', command: 'check_jvm_jstat', args: ['-m', marker] },
};
const overJolokia = (metric: JvmProbe['metric']): JvmProbe => ({
  kind: 'jvm',
  metric,
  source: { kind: 'jolokia', url: jolokia, insecure: false },
});

test('the heap check follows the JVM as it fills its heap (jstat and Jolokia agree)', async () => {
  const thresholds = { warning: '50', critical: '75' };
  const empty = await runJvm(local, { ...opts, ...thresholds });
  assert.equal(empty.state, 0, empty.output);
  const emptyPct = empty.perfdata[0]!.value;
  assert.ok(emptyPct < 30, empty.output);
  assert.match(empty.output, /^JVM OK - heap_used_percent = [\d.]+%, \d+ of 64 MB/);

  await step('fill 36');
  const warning = await runJvm(local, { ...opts, ...thresholds });
  assert.equal(warning.state, 1, warning.output);
  const warningPct = warning.perfdata[0]!.value;
  assert.ok(warningPct >= 50 && warningPct < 75, warning.output);
  const viaJolokia = await runJvm(overJolokia('heap'), { ...opts, ...thresholds });
  assert.equal(viaJolokia.state, 1, viaJolokia.output);
  assert.ok(
    Math.abs(viaJolokia.perfdata[0]!.value - warningPct) < 10,
    `${viaJolokia.output} vs ${warning.output}`,
  );

  await step('fill 16');
  const critical = await runJvm(local, { ...opts, ...thresholds });
  assert.equal(critical.state, 2, critical.output);
  assert.ok(critical.perfdata[0]!.value >= 75);
  assert.match(critical.output, /outside critical range 75/);
  assert.equal(critical.perfdata.find((p) => p.label === 'heap_used')?.max, 64 * 1024 * 1024);
});

test('threads and GC time over Jolokia', async () => {
  const threads = await runJvm(overJolokia('threads'), { ...opts, critical: '1000' });
  assert.equal(threads.state, 0, threads.output);
  assert.ok(threads.perfdata[0]!.value > 3);
  const first = await runJvm(overJolokia('gcTime'), opts);
  assert.match(first.output, /no value yet/);
  await step('fill 1');
  const second = await runJvm(overJolokia('gcTime'), { ...opts, warning: '100' });
  assert.equal(second.state, 0, second.output);
  assert.equal(second.perfdata[0]!.label, 'gc_time_percent');
});

test('failures say what and where', async () => {
  const none = await runJvm(
    {
      kind: 'jvm',
      metric: 'heap',
      source: { kind: 'local', command: 'check_jvm_jstat', args: ['-m', 'no-such-jvm-xyz'] },
    },
    opts,
  );
  assert.equal(none.state, 2);
  assert.match(none.output, /no process matches 'no-such-jvm-xyz'/);
  const notFound = await runJvm(
    {
      kind: 'jvm',
      metric: 'heap',
      source: { kind: 'jolokia', url: jolokia.replace('/jolokia', '/elsewhere'), insecure: false },
    },
    opts,
  );
  assert.equal(notFound.state, 3);
  assert.match(
    notFound.output,
    /\/elsewhere\/read\/java\.lang:type=Memory\/HeapMemoryUsage answered HTTP 404 with something that is not Jolokia JSON/,
  );
});

/**
 * Alerting bench: time from a HARD state change to its delivery at a local webhook receiver (p50/p99,
 * groupWait 0, so this is Steward's own time), and notifications/s sustained when thousands of
 * alerts fire at once (one notification each). Engine, store, dispatcher and outbox are the real ones.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertDispatcher } from '../src/alerting/index.ts';
import type { CheckResult } from '../src/core/index.ts';
import { Engine } from '../src/engine/index.ts';
import { silentLogger } from '../src/log/index.ts';
import { loadSpec } from '../src/spec/index.ts';
import { openSqliteStore } from '../src/store/index.ts';

export interface AlertingBenchResult {
  latency_ms: { p50: number; p99: number; max: number; samples: number };
  burst: { notifications: number; seconds: number; notifications_per_s: number };
}

function critical(): CheckResult {
  const now = Date.now();
  return { state: 2, output: 'down', longOutput: '', perfdata: [], startedAt: now, finishedAt: now };
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

export async function benchAlerting(opts: {
  latencySamples: number;
  burst: number;
}): Promise<AlertingBenchResult> {
  const arrivals = new Map<string, number>();
  const receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const now = performance.now();
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
        alerts: { fingerprint: string }[];
      };
      for (const a of body.alerts) if (!arrivals.has(a.fingerprint)) arrivals.set(a.fingerprint, now);
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  const port = (receiver.address() as { port: number }).port;
  const services = Math.max(opts.latencySamples, opts.burst);
  const dir = mkdtempSync(join(tmpdir(), 'steward-bench-alerting-'));
  const checks = Array.from(
    { length: services },
    (_, i) => `      - { name: s${i}, passive: {}, maxAttempts: 1, freshness: 1h }`,
  ).join('\n');
  writeFileSync(
    join(dir, 'steward.yaml'),
    `deployment: bench
operatorNetworks: [127.0.0.0/8]
roles:
  app:
    checks:
${checks}
environments:
  - name: prod
    hosts:
      - { name: a, address: 127.0.0.1, roles: [app] }
      - { name: b, address: 127.0.0.1, roles: [app] }
alerting:
  groupWait: 0s
  groupInterval: 1m
  groupBy: ["..."]
  receivers: [{ name: hook, webhook: { url: "http://127.0.0.1:${port}/" } }]
`,
  );
  const loaded = loadSpec(join(dir, 'steward.yaml'));
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
  const store = openSqliteStore(join(dir, 'data'));
  const logger = silentLogger();
  const engine = new Engine({ deployment: loaded.deployment, store, logger });
  engine.start();
  const dispatcher = new AlertDispatcher({ engine, store, logger, perReceiver: 16 });
  dispatcher.start();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const waitFor = async (ids: string[], timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until && !ids.every((id) => arrivals.has(id))) await sleep(2);
  };
  try {
    // Latency: one HARD change at a time on host a.
    const latencies: number[] = [];
    for (let i = 0; i < opts.latencySamples; i++) {
      const id = `a/s${i}`;
      const t0 = performance.now();
      engine.submitResult(id, critical());
      await waitFor([id], 5000);
      const at = arrivals.get(id);
      if (at !== undefined) latencies.push(at - t0);
      await sleep(5);
    }
    latencies.sort((x, y) => x - y);
    // Burst: every service of host b at once.
    const ids = Array.from({ length: opts.burst }, (_, i) => `b/s${i}`);
    const t0 = performance.now();
    for (const id of ids) engine.submitResult(id, critical());
    await waitFor(ids, 120_000);
    const last = Math.max(...ids.map((id) => arrivals.get(id) ?? Number.NaN));
    const seconds = (last - t0) / 1000;
    const round = (v: number) => Math.round(v * 10) / 10;
    return {
      latency_ms: {
        p50: round(percentile(latencies, 50)),
        p99: round(percentile(latencies, 99)),
        max: round(latencies.at(-1) ?? 0),
        samples: latencies.length,
      },
      burst: {
        notifications: ids.length,
        seconds: round(seconds),
        notifications_per_s: Math.round(ids.length / seconds),
      },
    };
  } finally {
    await dispatcher.stop();
    await engine.stop();
    store.close();
    receiver.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  console.log(JSON.stringify(await benchAlerting({ latencySamples: 100, burst: 1000 })));
}

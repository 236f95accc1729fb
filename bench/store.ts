// node bench/store.ts [series=10000] [pointsPerSeries=1440]   (prints JSON)
// Metrics store: ingest rate, 24 h range query latency, size on disk. Samples are written the way
// the engine writes them, time-major: every batch holds one timestamp for many series (the hard
// case for a table clustered by series), 10,000 samples per writeSamples call.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/index.ts';
import type { Sample, SeriesRef } from '../src/store/types.ts';

const STEP_MS = 60_000;
const BATCH = 10_000;
const QUERIES = 200;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const round = (n: number, digits = 3) => Number(n.toFixed(digits));

export async function benchStore(opts: {
  series: number;
  pointsPerSeries: number;
  dir: string;
}): Promise<Record<string, number>> {
  const start = Date.UTC(2026, 0, 1);
  const end = start + opts.pointsPerSeries * STEP_MS;
  let now = end;
  const store = openSqliteStore(opts.dir, { now: () => now });
  try {
    const refs: SeriesRef[] = [];
    for (let i = 0; i < opts.series; i++) {
      refs.push({
        name: 'perfdata',
        labels: {
          environment: 'prod',
          host: `host-${Math.floor(i / 20)}`,
          service: `svc-${i % 20}`,
          label: 'time',
        },
        unit: 's',
      });
    }

    // Ingest: time only spent inside writeSamples counts (building the batch is the caller's work).
    let ingestMs = 0;
    // CPU time of the whole process (worker thread included): unlike wall time, it does not depend
    // on what else the machine is running.
    let ingestCpuUs = 0;
    const callMs: number[] = [];
    let written = 0;
    let batch: Sample[] = [];
    const flush = () => {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      store.writeSamples(batch);
      const cpu = process.cpuUsage(cpu0);
      ingestCpuUs += cpu.user + cpu.system;
      const ms = performance.now() - t0;
      ingestMs += ms;
      callMs.push(ms);
      written += batch.length;
      batch = [];
    };
    for (let p = 0; p < opts.pointsPerSeries; p++) {
      const t = start + p * STEP_MS;
      for (let i = 0; i < opts.series; i++) {
        batch.push({ series: refs[i]!, t, v: Math.sin(p / 30 + i) * 100 + i });
        if (batch.length === BATCH) flush();
      }
    }
    if (batch.length > 0) flush();

    // Queries straight after ingest: part of the data is still in the write buffer.
    const queryFresh = timeQueries(store, refs, start, end);

    // Maintenance: move the buffer, roll everything up (as a restart after a day would).
    const m0 = performance.now();
    let rounds = 0;
    now = end + 10 * 60_000;
    while (!store.runMaintenance(now).done) rounds++;
    const maintenanceMs = performance.now() - m0;

    const query = timeQueries(store, refs, start, end);

    // Steady state: 15 more minutes, one sample per series per minute, maintenance every minute
    // (as the engine runs it). Moving the buffer and rolling a bucket up happen every 5 minutes.
    const minuteMs: number[] = [];
    let longestCall = 0;
    for (let m = 0; m < 15; m++) {
      const t = end + m * STEP_MS;
      store.writeSamples(refs.map((series, i) => ({ series, t, v: i })));
      now = t + 30_000;
      const t0 = performance.now();
      for (;;) {
        const c0 = performance.now();
        const done = store.runMaintenance(now).done;
        longestCall = Math.max(longestCall, performance.now() - c0);
        if (done) break;
      }
      minuteMs.push(performance.now() - t0);
    }
    minuteMs.sort((a, b) => a - b);
    const q5m: number[] = [];
    for (let i = 0; i < QUERIES; i++) {
      const ref = refs[(i * 7919) % refs.length]!;
      const t0 = performance.now();
      store.queryRange({ series: ref, from: start, to: end, stepMs: 300_000 });
      q5m.push(performance.now() - t0);
    }
    q5m.sort((a, b) => a - b);
    const stats = store.stats();
    return {
      series: opts.series,
      points_per_series: opts.pointsPerSeries,
      samples: written,
      ingest_samples_per_s: Math.round(written / (ingestMs / 1000)),
      ingest_s: round(ingestMs / 1000, 2),
      ingest_samples_per_cpu_s: Math.round(written / (ingestCpuUs / 1e6)),
      ingest_call_p50_ms: round(
        percentile(
          callMs.sort((a, b) => a - b),
          50,
        ),
        1,
      ),
      ingest_call_p99_ms: round(percentile(callMs, 99), 1),
      ingest_call_max_ms: round(callMs.at(-1) ?? 0, 1),
      query_24h_step60s_p50_ms: round(percentile(query, 50)),
      query_24h_step60s_p99_ms: round(percentile(query, 99)),
      query_24h_step60s_unflushed_p50_ms: round(percentile(queryFresh, 50)),
      query_24h_step60s_unflushed_p99_ms: round(percentile(queryFresh, 99)),
      query_24h_step5m_p50_ms: round(percentile(q5m, 50)),
      maintenance_s: round(maintenanceMs / 1000, 2),
      steady_maintenance_per_minute_p50_ms: round(percentile(minuteMs, 50), 1),
      steady_maintenance_per_minute_max_ms: round(minuteMs.at(-1) ?? 0, 1),
      steady_maintenance_longest_call_ms: round(longestCall, 1),
      maintenance_rounds: rounds + 1,
      db_bytes: stats.bytes,
      bytes_per_sample: round(stats.bytes / Math.max(1, written), 1),
    };
  } finally {
    store.close();
  }
}

function timeQueries(
  store: ReturnType<typeof openSqliteStore>,
  refs: SeriesRef[],
  from: number,
  to: number,
): number[] {
  const times: number[] = [];
  for (let i = 0; i < QUERIES; i++) {
    const ref = refs[(i * 7919) % refs.length]!;
    const t0 = performance.now();
    const r = store.queryRange({ series: ref, from, to, stepMs: STEP_MS });
    times.push(performance.now() - t0);
    if (!r || r.points.length === 0) throw new Error(`bench: no points for ${JSON.stringify(ref)}`);
  }
  return times.sort((a, b) => a - b);
}

if (import.meta.main) {
  const series = Number(process.argv[2] ?? 10_000);
  const pointsPerSeries = Number(process.argv[3] ?? 1_440);
  const dir = mkdtempSync(join(tmpdir(), 'steward-store-bench-'));
  try {
    console.log(JSON.stringify(await benchStore({ series, pointsPerSeries, dir }), null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

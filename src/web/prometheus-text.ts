import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { Engine } from '../engine/index.ts';
import type { Histogram } from '../engine/telemetry.ts';
import { pluginSpawnerStats } from '../probes/index.ts';
import type { OutboxStats, StoreStats } from '../store/types.ts';

const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

class TextBuilder {
  lines: string[] = [];
  metric(name: string, type: string, help: string): this {
    this.lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    return this;
  }
  sample(name: string, value: number, labels?: Record<string, string>): this {
    const l =
      labels && Object.keys(labels).length > 0
        ? `{${Object.entries(labels)
            .map(([k, v]) => `${k}="${esc(v)}"`)
            .join(',')}}`
        : '';
    this.lines.push(`${name}${l} ${Number.isFinite(value) ? value : 0}`);
    return this;
  }
  /** A metric with one unlabelled sample. */
  single(name: string, type: 'gauge' | 'counter', help: string, value: number): this {
    return this.metric(name, type, help).sample(name, value);
  }
  histogram(name: string, help: string, h: Histogram): this {
    this.metric(name, 'histogram', help);
    let cumulative = 0;
    h.buckets.forEach((b, i) => {
      cumulative += h.counts[i]!;
      this.sample(`${name}_bucket`, cumulative, { le: String(b) });
    });
    this.sample(`${name}_bucket`, h.count, { le: '+Inf' });
    this.sample(`${name}_sum`, h.sum);
    this.sample(`${name}_count`, h.count);
    return this;
  }
}

export interface HttpTelemetry {
  requests: Map<string, number>;
  refusedConnections: number;
}

/** Steward's own metrics in Prometheus text exposition format 0.0.4. */
export function renderMetrics(
  engine: Engine,
  store: StoreStats,
  http: HttpTelemetry,
  outbox?: OutboxStats,
): string {
  const t = engine.telemetry;
  const b = new TextBuilder();
  b.metric('steward_checks_total', 'counter', 'Active checks run, by probe kind.');
  for (const [kind, c] of t.checksRun) b.sample('steward_checks_total', c.value, { kind });
  b.metric('steward_check_results_total', 'counter', 'Check results processed, by resulting state.');
  for (const [state, c] of t.checkResults) b.sample('steward_check_results_total', c.value, { state });
  b.single('steward_passive_results_total', 'counter', 'Passive results received.', t.passiveResults.value);
  b.histogram(
    'steward_check_lateness_seconds',
    'How late checks started against their schedule.',
    t.lateness,
  );
  b.histogram('steward_check_execution_seconds', 'How long checks ran.', t.execution);
  const s = engine.scheduler.stats;
  b.single('steward_scheduler_queued', 'gauge', 'Checks scheduled and waiting.', s.queued);
  b.single('steward_scheduler_running', 'gauge', 'Checks in flight.', s.running);
  b.single('steward_state_changes_total', 'counter', 'State changes, SOFT and HARD.', t.stateChanges.value);
  b.single('steward_hard_state_changes_total', 'counter', 'HARD state changes.', t.hardStateChanges.value);
  b.single(
    'steward_store_flush_errors_total',
    'counter',
    'Failed writes of results to the store (retried).',
    t.flushErrors.value,
  );
  b.single('steward_store_bytes', 'gauge', 'Size of the store on disk.', store.bytes);
  b.single('steward_store_series', 'gauge', 'Metric series stored.', store.series);
  b.single('steward_store_raw_samples', 'gauge', 'Raw samples stored.', store.rawSamples);
  b.single('steward_store_events', 'gauge', 'History events stored.', store.events);
  b.single('steward_reloads_total', 'counter', 'Spec reloads applied.', t.reloads.value);
  b.single(
    'steward_reload_failures_total',
    'counter',
    'Spec reloads refused because the spec was invalid.',
    t.reloadFailures.value,
  );
  b.single(
    'steward_config_last_reload_successful',
    'gauge',
    '1 when the last reload was applied, 0 when it was refused.',
    engine.lastReload === null || engine.lastReload.ok ? 1 : 0,
  );
  const spawners = pluginSpawnerStats();
  if (spawners !== undefined) {
    b.single(
      'steward_plugin_spawner_processes',
      'gauge',
      'Processes that fork plugins for the server.',
      spawners.processes,
    );
    b.single(
      'steward_plugin_spawner_in_flight',
      'gauge',
      'Plugins running in the spawner processes.',
      spawners.inFlight,
    );
    b.single(
      'steward_plugin_spawner_restarts_total',
      'counter',
      'Spawner processes that died and were replaced (their checks ended UNKNOWN).',
      spawners.restarts,
    );
  }
  const byState = new Map<string, number>();
  let hosts = 0;
  let services = 0;
  for (const obj of engine.objects()) {
    if (obj.kind === 'host') hosts++;
    else services++;
    const st = engine.status(obj.id);
    const key = `${obj.kind}\u0000${obj.environment}\u0000${st?.state ?? 0}`;
    byState.set(key, (byState.get(key) ?? 0) + 1);
  }
  b.metric('steward_objects', 'gauge', 'Hosts and services monitored, by kind, environment and state code.');
  for (const [key, n] of byState) {
    const [kind, environment, state] = key.split('\u0000') as [string, string, string];
    b.sample('steward_objects', n, { kind, environment, state });
  }
  b.single('steward_hosts', 'gauge', 'Hosts in the spec.', hosts);
  b.single('steward_services', 'gauge', 'Services in the spec.', services);
  b.metric('steward_http_requests_total', 'counter', 'API requests, by status class.');
  for (const [code, n] of http.requests) b.sample('steward_http_requests_total', n, { code });
  b.single(
    'steward_http_refused_connections_total',
    'counter',
    'Connections refused before TLS (source not allowed).',
    http.refusedConnections,
  );
  if (outbox) {
    b.metric('steward_notifications_outbox', 'gauge', 'Notifications in the outbox, by status.');
    for (const status of ['pending', 'delivered', 'failed'] as const) {
      b.sample('steward_notifications_outbox', outbox[status], { status });
    }
    b.single(
      'steward_notifications_outbox_oldest_pending_seconds',
      'gauge',
      'Age of the oldest notification not yet delivered (0 when none).',
      outbox.oldestPendingAt === null ? 0 : Math.max(0, (Date.now() - outbox.oldestPendingAt) / 1000),
    );
    b.single(
      'steward_notification_failed_attempts',
      'gauge',
      'Delivery attempts that failed, over the notifications kept in the outbox.',
      outbox.failedAttempts ?? 0,
    );
  }
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  b.single('process_resident_memory_bytes', 'gauge', 'Resident memory size in bytes.', mem.rss);
  b.single(
    'process_cpu_seconds_total',
    'counter',
    'User and system CPU time spent in seconds.',
    (cpu.user + cpu.system) / 1e6,
  );
  b.single(
    'process_start_time_seconds',
    'gauge',
    'Start time of the process since unix epoch in seconds.',
    Math.floor(engine.startedAt / 1000),
  );
  b.single('nodejs_heap_used_bytes', 'gauge', 'V8 heap used.', mem.heapUsed);
  b.metric(
    'nodejs_eventloop_lag_p99_seconds',
    'gauge',
    'Event loop delay, 99th percentile since start.',
  ).sample('nodejs_eventloop_lag_p99_seconds', loopDelay.percentile(99) / 1e9);
  return `${b.lines.join('\n')}\n`;
}

import { join } from 'node:path';
import type { CheckResult, JvmProbe, NrpeProbe, PerfDatum, ServiceState } from '../../core/index.ts';
import { runNrpe } from '../nrpe/index.ts';
import { runPlugin } from '../plugin/index.ts';
import { probeResult, timedOutResult } from '../probe-result.ts';
import { thresholdedValueResult } from '../value-result.ts';
import { readJolokia } from './jolokia.ts';

/** Plugins Steward ships (plugins/ at the repository root), searched after the spec's pluginDirs. */
export const STEWARD_PLUGIN_DIR = join(import.meta.dirname, '../../../plugins');

export interface JvmRunOptions {
  timeoutMs: number;
  timeoutState: ServiceState;
  warning?: string;
  critical?: string;
  hostName: string;
  pluginDirs: readonly string[];
  signal?: AbortSignal;
}

/** Cumulative GC time per JVM, for gcTime as a share of wall time between two checks. */
const gcHistory = new Map<string, { at: number; gcMillis: number }>();

function sourceKey(probe: JvmProbe): string {
  const s = probe.source;
  if (s.kind === 'jolokia') return `jolokia|${s.url}`;
  if (s.kind === 'nrpe') return `nrpe|${s.nrpe.host}|${s.nrpe.port}|${s.nrpe.command}`;
  return `local|${s.args.join(' ')}`;
}

function where(probe: JvmProbe): string {
  const s = probe.source;
  if (s.kind === 'jolokia') return s.url;
  if (s.kind === 'nrpe') return `nrpe ${s.nrpe.host}:${s.nrpe.port} command ${s.nrpe.command}`;
  return `${s.command} ${s.args.join(' ')}`;
}

interface Reading {
  heapUsedBytes?: number;
  heapMaxBytes?: number;
  gcMillis?: number;
  threads?: number;
}

function fromPerfdata(perfdata: PerfDatum[]): Reading {
  const get = (label: string) => perfdata.find((p) => p.label === label)?.value;
  const reading: Reading = {};
  const used = get('heap_used');
  const max = get('heap_max');
  const gc = get('gc_time');
  const threads = get('threads');
  if (used !== undefined) reading.heapUsedBytes = used;
  if (max !== undefined) reading.heapMaxBytes = max;
  if (gc !== undefined) reading.gcMillis = gc * 1000;
  if (threads !== undefined) reading.threads = threads;
  return reading;
}

function valueResult(probe: JvmProbe, reading: Reading, opts: JvmRunOptions, startedAt: number): CheckResult {
  const at = where(probe);
  if (probe.metric === 'heap') {
    const { heapUsedBytes: used, heapMaxBytes: max } = reading;
    if (used === undefined || max === undefined || max <= 0) {
      return probeResult(3, `JVM UNKNOWN - no heap figures from ${at}`, startedAt);
    }
    const pct = Math.round((used / max) * 10000) / 100;
    const result = thresholdedValueResult(
      'JVM',
      'heap_used_percent',
      pct,
      '%',
      opts,
      startedAt,
      `${Math.round(used / 1048576)} of ${Math.round(max / 1048576)} MB (${at})`,
    );
    result.perfdata.push({ label: 'heap_used', value: used, uom: 'B', min: 0, max });
    return result;
  }
  if (probe.metric === 'threads') {
    if (reading.threads === undefined)
      return probeResult(3, `JVM UNKNOWN - no thread count from ${at}`, startedAt);
    return thresholdedValueResult('JVM', 'threads', reading.threads, '', opts, startedAt, at);
  }
  if (reading.gcMillis === undefined) return probeResult(3, `JVM UNKNOWN - no GC time from ${at}`, startedAt);
  const key = sourceKey(probe);
  const previous = gcHistory.get(key);
  const now = Date.now();
  gcHistory.set(key, { at: now, gcMillis: reading.gcMillis });
  if (previous === undefined || reading.gcMillis < previous.gcMillis || now <= previous.at) {
    // First reading, or the JVM restarted (its GC time went back): a share needs two readings.
    return probeResult(0, `JVM OK - gc time: no value yet, it needs two readings (${at})`, startedAt);
  }
  const share = Math.round(((reading.gcMillis - previous.gcMillis) / (now - previous.at)) * 10000) / 100;
  return thresholdedValueResult('JVM', 'gc_time_percent', share, '%', opts, startedAt, at);
}

/** The probe runNrpe takes: the nrpe.cfg definition is for `steward render host` only. */
function withoutDefine(probe: NrpeProbe): Omit<NrpeProbe, 'define'> {
  const { define: _define, ...rest } = probe;
  return rest;
}

/** JVM heap/GC/threads over Jolokia, or from check_jvm_jstat run locally or over NRPE. */
export async function runJvm(probe: JvmProbe, opts: JvmRunOptions): Promise<CheckResult> {
  const startedAt = Date.now();
  const source = probe.source;
  if (source.kind === 'jolokia') {
    const reading = await readJolokia(source.url, probe.metric, {
      timeoutMs: opts.timeoutMs,
      insecure: source.insecure,
      signal: opts.signal,
    });
    if (!reading.ok) {
      const text = `JVM ${reading.timedOut ? 'TIMEOUT' : 'UNKNOWN'} - ${reading.error}`;
      return reading.timedOut
        ? timedOutResult(opts.timeoutState, text, startedAt)
        : probeResult(3, text, startedAt);
    }
    return valueResult(probe, reading, opts, startedAt);
  }
  const raw =
    source.kind === 'nrpe'
      ? await runNrpe(withoutDefine(source.nrpe), {
          timeoutMs: opts.timeoutMs,
          timeoutState: opts.timeoutState,
          signal: opts.signal,
        })
      : await runPlugin(
          { kind: 'plugin', command: source.command, args: source.args },
          {
            timeoutMs: opts.timeoutMs,
            timeoutState: opts.timeoutState,
            hostName: opts.hostName,
            pluginDirs: [...opts.pluginDirs, STEWARD_PLUGIN_DIR],
            objectWord: 'Service',
            signal: opts.signal,
          },
        );
  // The plugin's own failure (no process, jstat refused, nrpe down) is the check's result.
  if (raw.timedOut || !raw.perfdata.some((p) => p.label === 'heap_used_percent')) return raw;
  const result = valueResult(probe, fromPerfdata(raw.perfdata), opts, startedAt);
  if (probe.metric === 'heap') result.longOutput = raw.output;
  return result;
}

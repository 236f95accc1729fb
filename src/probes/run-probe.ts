import type { LookupFunction } from 'node:net';
import type { CheckResult, HostModel, ProbeSpec, ServiceState } from '../core/index.ts';
import { runHttp } from './http/index.ts';
import { runJvm } from './jvm/index.ts';
import { runNrpe } from './nrpe/index.ts';
import { runPlugin } from './plugin/index.ts';
import { probeResult } from './probe-result.ts';
import { runPrometheus } from './prometheus/index.ts';
import { runSnmp } from './snmp/index.ts';
import { runTcp } from './tcp/index.ts';

export interface ProbeContext {
  timeoutMs: number;
  /** State of a check that runs out of time (Nagios' service_check_timeout_state). */
  timeoutState: ServiceState;
  /** The host the check belongs to: named in messages, its address the default target. */
  host: HostModel | { name: string; address: string };
  /** Directories searched, in order, for plugin commands given by bare name. */
  pluginDirs: string[];
  /** Aborting cancels the check (a plugin's process group is killed); the result is UNKNOWN. */
  signal?: AbortSignal;
  /** Nagios threshold ranges for a native probe's primary value (response time in seconds). */
  warning?: string;
  critical?: string;
  /** Whether this is a host or a service check, for Nagios' "(Host|Service check timed out ...)". */
  objectKind?: 'host' | 'service';
  /**
   * Name resolution for native probes (default: the system resolver, dns.lookup). IP literals
   * are never looked up; a caller may pass a caching resolver to spare getaddrinfo on busy servers.
   */
  lookup?: LookupFunction;
  /** The check's environment: a label of the series SNMP and scrape probes store. */
  environment?: string;
  /** The check's interval: an SNMP poll of the host younger than half of it is reused. */
  intervalMs?: number;
}

function seriesLabels(ctx: ProbeContext): Record<string, string> {
  return { environment: ctx.environment ?? '', host: ctx.host.name };
}

/**
 * Runs one check. Never rejects: every failure — missing plugin, refused connection, bad
 * certificate, timeout, a bug in here — is a CheckResult whose output says what failed and where.
 */
export async function runProbe(probe: ProbeSpec, ctx: ProbeContext): Promise<CheckResult> {
  const startedAt = Date.now();
  try {
    switch (probe.kind) {
      case 'plugin':
        return await runPlugin(probe, {
          timeoutMs: ctx.timeoutMs,
          timeoutState: ctx.timeoutState,
          hostName: ctx.host.name,
          pluginDirs: ctx.pluginDirs,
          objectWord: ctx.objectKind === 'host' ? 'Host' : 'Service',
          signal: ctx.signal,
        });
      case 'tcp':
        return await runTcp(probe, {
          defaultHost: ctx.host.address,
          timeoutMs: ctx.timeoutMs,
          timeoutState: ctx.timeoutState,
          warning: ctx.warning,
          critical: ctx.critical,
          lookup: ctx.lookup,
          signal: ctx.signal,
        });
      case 'http':
        return await runHttp(probe, {
          timeoutMs: ctx.timeoutMs,
          timeoutState: ctx.timeoutState,
          warning: ctx.warning,
          critical: ctx.critical,
          lookup: ctx.lookup,
          signal: ctx.signal,
        });
      case 'nrpe':
        return await runNrpe(probe, {
          timeoutMs: ctx.timeoutMs,
          timeoutState: ctx.timeoutState,
          lookup: ctx.lookup,
          signal: ctx.signal,
        });
      case 'snmp':
        return await runSnmp(probe, {
          timeoutMs: ctx.timeoutMs,
          intervalMs: ctx.intervalMs ?? 60_000,
          warning: ctx.warning,
          critical: ctx.critical,
          labels: seriesLabels(ctx),
        });
      case 'prometheus':
        return await runPrometheus(probe, {
          timeoutMs: ctx.timeoutMs,
          timeoutState: ctx.timeoutState,
          warning: ctx.warning,
          critical: ctx.critical,
          labels: seriesLabels(ctx),
          signal: ctx.signal,
        });
      case 'jvm':
        return await runJvm(probe, {
          timeoutMs: ctx.timeoutMs,
          timeoutState: ctx.timeoutState,
          warning: ctx.warning,
          critical: ctx.critical,
          hostName: ctx.host.name,
          pluginDirs: ctx.pluginDirs,
          signal: ctx.signal,
        });
      case 'passive':
        return probeResult(3, 'passive check: no active probe', startedAt);
      default:
        return probeResult(3, `unknown probe kind '${(probe as { kind: string }).kind}'`, startedAt);
    }
  } catch (error) {
    // A bug, not a check outcome: still a result, so the scheduler keeps going and the UI shows it.
    const kind = (probe as { kind?: string }).kind ?? 'unknown';
    return probeResult(
      3,
      `internal error in the ${kind} probe: ${(error as Error)?.message ?? String(error)}`,
      startedAt,
    );
  }
}

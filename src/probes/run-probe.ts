import type { LookupFunction } from 'node:net';
import type { CheckResult, HostModel, ProbeSpec, ServiceState } from '../core/index.ts';
import { runHttp } from './http/index.ts';
import { runPlugin } from './plugin/index.ts';
import { probeResult } from './probe-result.ts';
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

import { connect, type LookupFunction, type Socket } from 'node:net';
import type { CheckResult, PerfDatum, ServiceState, TcpProbe } from '../../core/index.ts';
import { describeSocketError } from '../native-errors.ts';
import { probeResult, stateWord, timedOutResult } from '../probe-result.ts';
import { checkThresholds } from '../thresholds/index.ts';

export interface TcpRunContext {
  /** Used when the probe names no host. */
  defaultHost: string;
  timeoutMs: number;
  timeoutState: ServiceState;
  warning?: string;
  critical?: string;
  lookup?: LookupFunction;
  signal?: AbortSignal;
}

/** Rounded to check_tcp's %f precision (microseconds). */
function micro(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** check_tcp's perfdata: time=0.000510s;warn;crit;0.000000;<timeout> */
export function tcpTimePerfdatum(
  secondsTaken: number,
  timeoutMs: number,
  warning?: string,
  critical?: string,
): PerfDatum {
  const datum: PerfDatum = {
    label: 'time',
    value: micro(secondsTaken),
    uom: 's',
    min: 0,
    max: timeoutMs / 1000,
  };
  if (warning) datum.warn = warning;
  if (critical) datum.crit = critical;
  return datum;
}

/**
 * Connects to host:port, measures the connect time and closes at once, reporting like check_tcp.
 * An IP literal is connected to without any DNS lookup (node:net skips lookup for IP literals);
 * the socket is destroyed as soon as the outcome is known so thousands of checks a second leave
 * no handles behind.
 */
export function runTcp(probe: TcpProbe, ctx: TcpRunContext): Promise<CheckResult> {
  const startedAt = Date.now();
  const host = probe.host === '' ? ctx.defaultHost : probe.host;
  const port = probe.port;
  if (host === '')
    return Promise.resolve(
      probeResult(
        3,
        'TCP UNKNOWN - no host to connect to: set host on the tcp check or an address on the host',
        startedAt,
      ),
    );
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    return Promise.resolve(
      probeResult(3, `TCP UNKNOWN - invalid port ${port} for ${host}: use 1..65535`, startedAt),
    );
  }
  const thresholdsValid = checkThresholds(0, ctx.warning, ctx.critical);
  if (!thresholdsValid.ok)
    return Promise.resolve(probeResult(3, `TCP UNKNOWN - ${thresholdsValid.error}`, startedAt));

  return new Promise((resolve) => {
    const t0 = performance.now();
    let finished = false;
    let socket: Socket | undefined;
    const finish = (result: CheckResult): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
      socket?.destroy();
      resolve(result);
    };
    const onAbort = (): void =>
      finish(
        probeResult(3, `TCP UNKNOWN - check cancelled while connecting to ${host} port ${port}`, startedAt),
      );
    const timer = setTimeout(() => {
      const word = stateWord(ctx.timeoutState);
      finish(
        timedOutResult(
          ctx.timeoutState,
          `TCP ${word} - Socket timeout after ${(ctx.timeoutMs / 1000).toFixed(2)} seconds connecting to ${host} port ${port}`,
          startedAt,
        ),
      );
    }, ctx.timeoutMs);
    try {
      socket = connect(
        ctx.lookup ? { host, port, noDelay: true, lookup: ctx.lookup } : { host, port, noDelay: true },
      );
    } catch (error) {
      clearTimeout(timer);
      resolve(
        probeResult(
          3,
          `TCP UNKNOWN - cannot connect to ${host} port ${port}: ${(error as Error).message}`,
          startedAt,
        ),
      );
      return;
    }
    if (ctx.signal) {
      if (ctx.signal.aborted) queueMicrotask(onAbort);
      else ctx.signal.addEventListener('abort', onAbort, { once: true });
    }
    socket.once('connect', () => {
      const taken = (performance.now() - t0) / 1000;
      const outcome = checkThresholds(taken, ctx.warning, ctx.critical);
      const state = outcome.ok ? outcome.state : 3;
      finish(
        probeResult(
          state,
          `TCP ${stateWord(state)} - ${taken.toFixed(3)} second response time on ${host} port ${port}`,
          startedAt,
          '',
          [tcpTimePerfdatum(taken, ctx.timeoutMs, ctx.warning, ctx.critical)],
        ),
      );
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      finish(probeResult(2, `TCP CRITICAL - ${describeSocketError(error, host, port)}`, startedAt));
    });
  });
}

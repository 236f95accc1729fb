import { bulkWalk } from './bulk-walk.ts';
import { computeHostMetrics, type HostMetrics, type HostPollState } from './host-metrics.ts';
import { COLUMNS, oidBefore, SCALARS } from './oids.ts';
import { rawSampleFrom } from './raw-sample.ts';
import {
  describeSnmpError,
  describeTarget,
  openSession,
  type SnmpTarget,
  targetProblem,
} from './snmp-target.ts';

const SCALAR_REQUESTS = Object.values(SCALARS).map((oid) => ({ oid, before: oidBefore(oid) }));
const COLUMN_OIDS = Object.values(COLUMNS);

export interface HostPoll {
  metrics: HostMetrics;
  /** Pass it back as `previous` on the next poll of the same host. */
  state: HostPollState;
  /** Why the poll (or part of it) failed: host, port, SNMP version and what to check. Empty when fine. */
  errors: string[];
  /** GetBulk requests the poll took. */
  requests: number;
}

function emptyPoll(at: number, previous: HostPollState | undefined, errors: string[]): HostPoll {
  // Keep the previous state: a failed poll must not turn the next good one into a rate-less one.
  return {
    metrics: { at, rebooted: false, agentRestarted: false, disks: [], interfaces: [] },
    state: previous ?? { at, interfaces: {} },
    errors,
    requests: 0,
  };
}

/**
 * Polls one host's built-in metrics in a single bulk walk (CPU, load, memory, swap, disks,
 * interfaces, uptime) so that every SNMP check on the host is served by one poll per interval.
 * Never rejects: a failure comes back in `errors`, with empty metrics.
 */
export async function pollHostMetrics(target: SnmpTarget, previous?: HostPollState): Promise<HostPoll> {
  const started = Date.now();
  const problem = targetProblem(target);
  if (problem) return emptyPoll(started, previous, [`${problem} (${describeTarget(target)})`]);
  let session: ReturnType<typeof openSession> | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    session = openSession(target);
    const s = session;
    // The session's own timeout and retry bound each request; this bounds the whole walk.
    const overall = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error('poll timed out');
        error.name = 'RequestTimedOutError';
        reject(error);
      }, target.timeoutMs + 50);
    });
    s.on('error', () => {});
    const walk = await Promise.race([bulkWalk(s, SCALAR_REQUESTS, COLUMN_OIDS), overall]);
    const sample = rawSampleFrom(walk, Date.now());
    const errors: string[] = [];
    if (walk.scalars.size === 0 && [...walk.columns.values()].every((c) => c.size === 0)) {
      errors.push(
        `${describeTarget(target)} answered but exposes none of the host metrics: check the view in snmpd.conf`,
      );
    }
    const { metrics, state } = computeHostMetrics(sample, previous);
    return { metrics, state, errors, requests: walk.requests };
  } catch (error) {
    return emptyPoll(started, previous, [describeSnmpError(error, target)]);
  } finally {
    clearTimeout(timer);
    try {
      session?.close();
    } catch {
      // Already closed.
    }
  }
}

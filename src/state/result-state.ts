/**
 * What state a check result puts an object in, before SOFT/HARD logic: Nagios'
 * get_service_check_return_code and get_host_check_return_code (base/checks.c).
 */
import {
  type CheckResult,
  CRITICAL,
  DOWN,
  type HostModel,
  OK,
  type ServiceModel,
  UP,
  WARNING,
} from '../core/index.ts';

export interface ResultState {
  state: number;
  output: string;
}

function seconds(result: CheckResult): string {
  return (Math.max(0, result.finishedAt - result.startedAt) / 1000).toFixed(2);
}

/** Nagios' messages for exit codes a plugin cannot legitimately return; null when the code is fine. */
function badExitCode(code: number, what: string): string | null {
  // 126 and 127 are what the shell returns for a non-executable or missing command.
  if (code === 126) return '(Return code of 126 is out of bounds. Check if plugin is executable)';
  if (code === 127) return '(Return code of 127 is out of bounds. Check if plugin exists)';
  if (!Number.isInteger(code) || code < 0 || code > 3)
    return `(Return code of ${code} for ${what} was out of bounds)`;
  return null;
}

/**
 * Service state for a result. Nagios trusts passive results blindly; here out-of-range codes are
 * turned into CRITICAL for passive results too, so a bad submission cannot put a number outside
 * 0..3 into the status.
 */
export function serviceResultState(svc: ServiceModel, result: CheckResult): ResultState {
  const output = result.output === '' ? '(No output returned from plugin)' : result.output;
  if (result.timedOut && !result.passive) {
    // Nagios replaces the output; a probe's own timeout text usually says more (which address, which
    // port), so it is kept when there is one.
    return {
      state: svc.timeoutState,
      output:
        result.output === '' ? `(Service check timed out after ${seconds(result)} seconds)` : result.output,
    };
  }
  const bad = badExitCode(result.state, `service '${svc.name}' on host '${svc.host}'`);
  if (bad !== null) return { state: CRITICAL, output: bad };
  return { state: result.state, output };
}

/**
 * Host state (UP or DOWN; UNREACHABLE is decided later from the parents) for a result. As Nagios
 * without aggressive host checking: OK and WARNING mean UP, anything else DOWN; a host without a
 * check is UP. Nagios takes passive host results as host states (0 UP, 1 DOWN, 2 UNREACHABLE);
 * Steward's API turns host states into plugin codes (UP → 0, others → 2), so passive results go
 * through the same plugin-code mapping.
 */
export function hostResultState(host: HostModel, result: CheckResult): ResultState {
  const output = result.output === '' ? '(No output returned from host check)' : result.output;
  if (!result.passive) {
    if (host.probe === null) return { state: UP, output: '(Host assumed to be UP)' };
    if (result.timedOut) {
      // Nagios has no host_check_timeout_state: a host check that times out means DOWN.
      return {
        state: DOWN,
        output:
          result.output === '' ? `(Host check timed out after ${seconds(result)} seconds)` : result.output,
      };
    }
  }
  const bad = badExitCode(result.state, `host '${host.name}'`);
  if (bad !== null) return { state: DOWN, output: bad };
  return { state: result.state === OK || result.state === WARNING ? UP : DOWN, output };
}

import { parseDuration } from '../core/duration.ts';
import type { DashboardPolicySettings } from '../core/model.ts';
import type { DashboardAccessSpec } from './schema/access.ts';

/** `access.dashboard` in milliseconds; only the keys the spec sets (src/web fills in the defaults). */
export function resolveDashboard(spec: DashboardAccessSpec): DashboardPolicySettings {
  const out: DashboardPolicySettings = {};
  // Validated before resolution: parseDuration cannot fail here.
  const ms = (text: string | undefined) =>
    text === undefined ? undefined : (parseDuration(text) ?? undefined);
  const set = <K extends keyof DashboardPolicySettings>(key: K, value: number | undefined) => {
    if (value !== undefined) out[key] = value;
  };
  set('sessionIdleMs', ms(spec.sessionIdle));
  set('sessionMaxMs', ms(spec.sessionMax));
  set('userFailures', spec.loginLockout?.userFailures);
  set('lockMs', ms(spec.loginLockout?.lockFor));
  set('sourceFailures', spec.loginLockout?.sourceFailures);
  set('failureWindowMs', ms(spec.loginLockout?.failureWindow));
  return out;
}

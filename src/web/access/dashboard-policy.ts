import type { DashboardPolicySettings } from '../../core/model.ts';
import { DEFAULT_SESSION_POLICY, type SessionPolicy } from '../sessions/sessions.ts';
import { DEFAULT_LOGIN_POLICY, type LoginPolicy } from '../users/login.ts';

/** The spec's `access.dashboard` over the defaults (30 min idle, 12 h absolute, lock after 5 failures). */
export function dashboardPolicy(settings: DashboardPolicySettings | undefined): {
  session: SessionPolicy;
  login: LoginPolicy;
} {
  const s = settings ?? {};
  return {
    session: {
      idleMs: s.sessionIdleMs ?? DEFAULT_SESSION_POLICY.idleMs,
      absoluteMs: s.sessionMaxMs ?? DEFAULT_SESSION_POLICY.absoluteMs,
    },
    login: {
      maxFailures: s.userFailures ?? DEFAULT_LOGIN_POLICY.maxFailures,
      lockMs: s.lockMs ?? DEFAULT_LOGIN_POLICY.lockMs,
      perAddressFailures: s.sourceFailures ?? DEFAULT_LOGIN_POLICY.perAddressFailures,
      windowMs: s.failureWindowMs ?? DEFAULT_LOGIN_POLICY.windowMs,
    },
  };
}

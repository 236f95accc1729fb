import { base32Decode, verifyTotp } from '../../auth/index.ts';
import { formatDuration } from '../../core/duration.ts';
import type { Store, UserRecord } from '../../store/types.ts';
import { audit } from '../audit/audit-log.ts';
import { burnPasswordTime, verifyPassword } from './password.ts';
import { hashRecoveryCode, looksLikeRecoveryCode } from './recovery-codes.ts';

export interface LoginPolicy {
  /** Consecutive failures after which a user is locked. */
  maxFailures: number;
  lockMs: number;
  /** Failed attempts one address may make per window before every attempt is refused. */
  perAddressFailures: number;
  windowMs: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = {
  maxFailures: 5,
  lockMs: 15 * 60_000,
  perAddressFailures: 20,
  windowMs: 15 * 60_000,
};

export type LoginOutcome =
  | { ok: true; user: UserRecord /** the user has no confirmed TOTP yet: enrol next */; enrol: boolean }
  | { ok: false; status: 401 | 429; message: string };

/** The one message for every failure: it never tells which of user, password or code was wrong. */
const REFUSED = 'wrong user name, password or code';

/** Password + TOTP (or a recovery code) check with lockout and a per-address rate limit; every outcome is audited. */
export class LoginService {
  readonly #store: Store;
  readonly #policy: () => LoginPolicy;
  readonly #failuresByAddress = new Map<string, number[]>();

  /** policy is read on every sign-in, so a reloaded spec applies at once. */
  constructor(store: Store, policy: LoginPolicy | (() => LoginPolicy) = DEFAULT_LOGIN_POLICY) {
    this.#store = store;
    this.#policy = typeof policy === 'function' ? policy : () => policy;
  }

  async login(name: string, password: string, code: string, ip: string): Promise<LoginOutcome> {
    const now = Date.now();
    const policy = this.#policy();
    const recent = (this.#failuresByAddress.get(ip) ?? []).filter((t) => t > now - policy.windowMs);
    if (recent.length >= policy.perAddressFailures) {
      audit(this.#store, {
        actor: '-',
        action: 'login_failed',
        target: name,
        outcome: 'refused',
        ip,
        details: { reason: 'rate limited' },
      });
      return {
        ok: false,
        status: 429,
        message: 'too many failed logins from your address; wait and try again',
      };
    }
    const fail = (reason: string, user?: UserRecord): LoginOutcome => {
      recent.push(now);
      this.#failuresByAddress.set(ip, recent);
      if (user) {
        const failures = user.failedLogins + 1;
        const lock = failures >= policy.maxFailures;
        this.#store.updateUser(user.name, {
          failedLogins: failures,
          ...(lock ? { lockedUntil: now + policy.lockMs } : {}),
        });
        if (lock) reason += `; locked for ${formatDuration(policy.lockMs)}`;
      }
      audit(this.#store, {
        actor: '-',
        action: 'login_failed',
        target: name,
        outcome: 'refused',
        ip,
        details: { reason },
      });
      return { ok: false, status: 401, message: REFUSED };
    };
    const user = this.#store.getUser(name);
    if (!user) {
      await burnPasswordTime(password);
      return fail('unknown user');
    }
    if (user.lockedUntil !== null && user.lockedUntil > now) {
      await burnPasswordTime(password);
      audit(this.#store, {
        actor: '-',
        action: 'login_failed',
        target: name,
        outcome: 'refused',
        ip,
        details: { reason: 'locked' },
      });
      return { ok: false, status: 401, message: `${REFUSED} (or the account is locked for a while)` };
    }
    if (!(await verifyPassword(password, user.passwordHash))) return fail('wrong password', user);
    const enrolled = user.totpSecret !== null && user.totpConfirmed;
    if (enrolled) {
      const typed = code.trim();
      if (looksLikeRecoveryCode(typed) && !/^\d+$/.test(typed)) {
        const h = hashRecoveryCode(typed);
        if (!user.recoveryCodes.includes(h)) return fail('wrong recovery code', user);
        this.#store.updateUser(user.name, { recoveryCodes: user.recoveryCodes.filter((c) => c !== h) });
        audit(this.#store, {
          actor: user.name,
          action: 'recovery_code_used',
          target: user.name,
          outcome: 'ok',
          ip,
          details: { left: user.recoveryCodes.length - 1 },
        });
      } else {
        const v = verifyTotp(base32Decode(user.totpSecret!), typed, now, user.totpLastStep);
        if (!v.ok) return fail(v.reason === 'reused' ? 'replayed TOTP code' : `${v.reason} TOTP code`, user);
        this.#store.updateUser(user.name, { totpLastStep: v.step });
      }
    }
    this.#store.updateUser(user.name, { failedLogins: 0, lockedUntil: null });
    audit(this.#store, {
      actor: user.name,
      action: enrolled ? 'login' : 'login_password_only',
      target: user.name,
      outcome: 'ok',
      ip,
      details: enrolled ? {} : { next: 'totp enrolment' },
    });
    return { ok: true, user: this.#store.getUser(user.name)!, enrol: !enrolled };
  }
}

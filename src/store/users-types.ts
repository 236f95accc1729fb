/**
 * Dashboard users, their sessions and the audit log, as the store keeps them. Passwords are scrypt
 * hashes, recovery codes SHA-256 hashes, session ids SHA-256 hashes: a copy of the database lets
 * nobody log in. The TOTP secret must be usable to verify codes, so it is kept as is (base32).
 */
export interface UserRecord {
  id: number;
  name: string;
  /** "scrypt$N$r$p$salt$hash" (see src/web/users/password.ts). */
  passwordHash: string;
  /** base32; null until the user enrols (login then leads to enrolment). */
  totpSecret: string | null;
  /** True once a code from the authenticator was confirmed. */
  totpConfirmed: boolean;
  /** The newest TOTP step accepted: a code is never accepted twice (RFC 6238 §5.2). */
  totpLastStep: number;
  /** SHA-256 hashes of unused recovery codes. */
  recoveryCodes: string[];
  /** Role per environment name; "*" applies to every environment not named. */
  roles: Record<string, string>;
  failedLogins: number;
  lockedUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

export type NewUser = Pick<UserRecord, 'name' | 'passwordHash' | 'roles'>;
export type UserPatch = Partial<Omit<UserRecord, 'id' | 'name' | 'createdAt' | 'updatedAt'>>;

export interface SessionRecord {
  /** SHA-256 hex of the cookie value. */
  idHash: string;
  userId: number;
  /** 'password': only the password was given (TOTP or enrolment next); 'full': signed in. */
  stage: 'password' | 'full';
  csrfToken: string;
  createdAt: number;
  lastSeenAt: number;
  /** Absolute expiry, whatever the activity. */
  expiresAt: number;
  ip: string;
}

export interface AuditEntry {
  id: number;
  time: number;
  /** Who: a user name, "token:NAME", or "-" when unknown (e.g. a failed login for no such user). */
  actor: string;
  /** login, login_failed, logout, ack, unack, downtime, downtime_cancel, recheck, comment, silence, user_add, ... */
  action: string;
  target: string;
  outcome: 'ok' | 'refused';
  ip: string;
  /** Free-form, never secrets. */
  details: Record<string, unknown>;
  /**
   * Where the fact was recorded: `local` (this Steward), or the name of a remote reporter such as
   * a bastion (`steward gateway --report-to`) whose events were shipped here.
   */
  source?: string;
  /** The reporter's id of the event; (source, eventId) is unique, so a re-sent event is stored once. */
  eventId?: string;
}

export interface AuditQuery {
  from?: number;
  to?: number;
  actor?: string;
  action?: string;
  outcome?: 'ok' | 'refused';
  source?: string;
  beforeId?: number;
  limit?: number;
}

import type { FailureLimits } from './failure-limiter.ts';

/** One operator who may log in through the gateway. */
export interface GatewayUser {
  name: string;
  /** OpenSSH public key lines (`ssh-ed25519 AAAA... comment`). */
  keys: string[];
  /** Base32 TOTP secret. A user without one cannot log in: the second factor is not optional. */
  totpSecret?: string;
  /** Environments whose hosts this user may reach. */
  environments: string[];
}

/** One host behind the gateway. */
export interface GatewayTarget {
  /** The host's name in the spec; operators may ask for it instead of the address. */
  host: string;
  /** Where the gateway connects (an IP address; names are not resolved, so DNS cannot redirect). */
  address: string;
  environment: string;
  sshPort: number;
  /** Further ports operators may forward to (the spec lists them per host). */
  extraPorts?: number[];
}

/** A time-bound extra environment for a user (`steward access grant USER ENV --for 2h --reason ...`). */
export interface GatewayGrant {
  user: string;
  environment: string;
  /** ms since epoch */
  expiresAt: number;
  reason: string;
}

export interface GatewayLimits {
  /** auth failures per source address before a temporary ban (its connections are then dropped) */
  source: FailureLimits;
  /** auth failures per user name before that user is refused for a while, from any source */
  user: FailureLimits;
  /** new TCP connections per source per minute before further ones are dropped */
  connectionsPerMinute: number;
  /** failed authentication requests in one connection before it is cut (OpenSSH's MaxAuthTries) */
  maxAuthTries: number;
  /** time to authenticate before the connection is cut (OpenSSH's LoginGraceTime) */
  loginGraceMs: number;
  /** how long a forward may take to connect to its target */
  connectTimeoutMs: number;
  /** how often open forwards are re-authorized, so an expired or revoked grant cuts them */
  recheckMs: number;
}

/** Last accepted TOTP step per user (RFC 6238 §5.2: a code must not be accepted twice). */
export interface TotpStepStore {
  get(user: string): number | undefined;
  set(user: string, step: number): void;
}

export interface GatewayConfig {
  listen: { host: string; port: number };
  /** CIDRs; connections from elsewhere are dropped before any SSH byte is sent. */
  operatorNetworks: string[];
  /** Generated (ed25519) on first start and kept; the public half is written next to it as .pub. */
  hostKeyFile: string;
  users: GatewayUser[];
  targets: GatewayTarget[];
  /** Re-read on every forward and every recheck, so grants take effect without a restart. */
  grants?: () => GatewayGrant[];
  /** Receives every audit event (connection, auth, forward...); see audit.ts for their shapes. */
  audit: (event: Record<string, unknown>) => void;
  limits?: Partial<GatewayLimits>;
  /**
   * Where each user's last accepted TOTP step is kept, so a code is good once even across a
   * restart (totp-steps.ts keeps it in the data dir); default: memory only.
   */
  totpSteps?: TotpStepStore;
  /** Clock, for tests of expiry; defaults to Date.now. */
  now?: () => number;
}

export const DEFAULT_LIMITS: GatewayLimits = {
  source: { maxFailures: 20, windowMs: 10 * 60_000, banMs: 15 * 60_000 },
  user: { maxFailures: 5, windowMs: 10 * 60_000, banMs: 15 * 60_000 },
  connectionsPerMinute: 60,
  maxAuthTries: 6,
  loginGraceMs: 60_000,
  connectTimeoutMs: 10_000,
  recheckMs: 15_000,
};

export function resolveLimits(limits: Partial<GatewayLimits> | undefined): GatewayLimits {
  return { ...DEFAULT_LIMITS, ...limits };
}

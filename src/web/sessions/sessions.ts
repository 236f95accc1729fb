import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { SessionRecord, Store, UserRecord } from '../../store/types.ts';
import { audit } from '../audit/audit-log.ts';

/** __Host- cookies must be Secure, Path=/ and have no Domain: no subdomain can set or shadow them. */
export const SESSION_COOKIE = '__Host-steward_session';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 };

const hash = (v: string) => createHash('sha256').update(v).digest('hex');

export function readCookie(req: FastifyRequest, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return undefined;
}

export interface ActiveSession {
  record: SessionRecord;
  user: UserRecord;
}

/** Server-side sessions: the cookie holds 256 random bits, the store their SHA-256. */
export class Sessions {
  readonly #store: Store;
  readonly #policy: () => SessionPolicy;
  #lastSweep = 0;

  /** policy is read on every request, so a reloaded spec applies at once (to existing sessions too). */
  constructor(store: Store, policy: SessionPolicy | (() => SessionPolicy) = DEFAULT_SESSION_POLICY) {
    this.#store = store;
    this.#policy = typeof policy === 'function' ? policy : () => policy;
  }

  get policy(): SessionPolicy {
    return this.#policy();
  }

  create(reply: FastifyReply, user: UserRecord, stage: SessionRecord['stage'], ip: string): SessionRecord {
    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const record: SessionRecord = {
      idHash: hash(token),
      userId: user.id,
      stage,
      csrfToken: randomBytes(24).toString('base64url'),
      createdAt: now,
      lastSeenAt: now,
      // A half-signed-in session (password only) gets 10 minutes to finish TOTP enrolment.
      expiresAt: now + (stage === 'full' ? this.policy.absoluteMs : 10 * 60_000),
      ip,
    };
    this.#store.addSession(record);
    reply.header(
      'set-cookie',
      `${SESSION_COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=${Math.floor((record.expiresAt - now) / 1000)}`,
    );
    return record;
  }

  /** The request's session when it exists and has expired neither by idleness nor by age. */
  read(req: FastifyRequest): ActiveSession | null {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token || token.length > 100) return null;
    const now = Date.now();
    const policy = this.policy;
    if (now - this.#lastSweep > 60_000) {
      this.#lastSweep = now;
      this.#store.deleteExpiredSessions(now, policy.idleMs);
    }
    const record = this.#store.getSession(hash(token));
    if (!record) return null;
    // expiresAt was set at sign-in; a sessionMax shortened since (reload) applies to it as well.
    const ends =
      record.stage === 'full'
        ? Math.min(record.expiresAt, record.createdAt + policy.absoluteMs)
        : record.expiresAt;
    if (ends <= now || record.lastSeenAt <= now - policy.idleMs) {
      this.#store.deleteSession(record.idHash);
      const who = this.#store.getUserById(record.userId)?.name ?? '-';
      audit(this.#store, {
        actor: who,
        action: 'session_expired',
        target: who,
        outcome: 'refused',
        ip: req.ip,
        details: { reason: ends <= now ? 'absolute expiry' : 'idle' },
      });
      return null;
    }
    const user = this.#store.getUserById(record.userId);
    if (!user) return null;
    // Written at most every 10 s (less with a shorter idle expiry): the idle clock needs no finer grain.
    if (now - record.lastSeenAt > Math.min(10_000, policy.idleMs / 10))
      this.#store.touchSession(record.idHash, now);
    return { record, user };
  }

  /** Ends the request's session; clearCookie false when a new session cookie replaces it at once. */
  destroy(req: FastifyRequest, reply: FastifyReply, clearCookie = true): void {
    const token = readCookie(req, SESSION_COOKIE);
    if (token) this.#store.deleteSession(hash(token));
    if (clearCookie) {
      reply.header('set-cookie', `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`);
    }
  }

  /** Replaces a half session by a full one (a fresh id: no session fixation across the TOTP step). */
  upgrade(req: FastifyRequest, reply: FastifyReply, user: UserRecord, ip: string): SessionRecord {
    this.destroy(req, reply, false);
    return this.create(reply, user, 'full', ip);
  }
}

/** Double-submit is not enough against a subdomain; the token is bound to the server-side session. */
export function csrfOk(req: FastifyRequest, session: SessionRecord, formToken?: string): boolean {
  const sent = (req.headers['x-csrf-token'] as string | undefined) ?? formToken;
  if (!sent || sent.length !== session.csrfToken.length) return false;
  let diff = 0;
  for (let i = 0; i < sent.length; i++) diff |= sent.charCodeAt(i) ^ session.csrfToken.charCodeAt(i);
  return diff === 0;
}

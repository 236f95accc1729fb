import type { AuditEntry } from '../store/index.ts';

/** Gateway event types that record something refused (the dashboard's audit log filters on it). */
const REFUSED_TYPES = new Set(['connection-refused', 'forward-refused', 'session-refused', 'ban']);

/**
 * One gateway audit event as a row of the store's audit log (the same table the dashboard writes
 * to): actor is the SSH user, action `gateway.<type>`, target the host (or the requested one),
 * ip the operator's source address. The event itself goes to details; it never holds secrets
 * (TOTP answers are not audited, keys only by fingerprint).
 */
export function gatewayAuditEntry(event: Record<string, unknown>): Omit<AuditEntry, 'id'> {
  const text = (key: string) => (typeof event[key] === 'string' ? (event[key] as string) : undefined);
  const type = text('type') ?? 'unknown';
  const refused = REFUSED_TYPES.has(type) || event.result === 'refused';
  const time = Date.parse(text('ts') ?? '');
  const { ts: _ts, type: _type, eventId, ...details } = event;
  return {
    time: Number.isFinite(time) ? time : Date.now(),
    actor:
      text('by') ??
      text('user') ??
      (type === 'ban' && event.scope === 'user' ? (text('subject') ?? '-') : '-'),
    action: `gateway.${type}`,
    target: text('host') ?? text('requestedHost') ?? text('environment') ?? '',
    outcome: refused ? 'refused' : 'ok',
    ip: text('source') ?? '',
    details,
    ...(typeof eventId === 'string' ? { eventId } : {}),
  };
}

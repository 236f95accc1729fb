import { randomUUID } from 'node:crypto';
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The audit events the gateway emits. Every event has `eventId` (unique, so a shipped copy is
 * stored once), `type` and `ts` (ISO time); events of one
 * SSH connection share `conn` (a per-process counter) and `source` (the operator's address).
 *
 * - connection-refused  { source, reason: outside-operator-networks | source-banned | rate-limited }
 * - connection          { conn, source, sourcePort }
 * - auth                { conn, source, user, method, result: accepted | partial | refused, reason?, key? }
 * - ban                 { scope: source | user, subject, until }
 * - forward             { conn, source, user, host, environment, address, port, via, grantReason? }
 * - forward-refused     { conn, source, user, requestedHost, requestedPort, reason, host?, environment? }
 * - forward-closed      { conn, source, user, host, environment, address, port, bytesToTarget,
 *                         bytesFromTarget, durationMs,
 *                         closedBy: client | target | revoked | grant-expired | error | shutdown }
 * - session-refused     { conn, source, user, request }               (exec, sftp, x11, port-forward...)
 * - menu                { conn, source, user, hosts }                 (the login shell's host list)
 * - disconnect          { conn, source, user?, authenticated, durationMs }
 *
 * Written by the CLI into the same log (src/cli/gateway.ts, src/cli/access.ts):
 * - reload                { result: ok | refused, users? }            (SIGHUP re-read the spec)
 * - grant                 { user, environment, expiresAt, reason, id, by }
 * - revoke                { user, environment, id, by }
 * - enroll                { user, replaced, by }                      (never the secret)
 */
export type AuditEvent = Record<string, unknown> & { type: string };

export type AuditSink = (event: Record<string, unknown>) => void;

/**
 * Appends events as JSON lines to a file (mode 0600: it names users and hosts), each with a fresh
 * `eventId`. Each line is written before the call returns (one write(2) with O_APPEND, so the
 * gateway and `steward access` can append at once): the file is the outbox the audit shipper
 * reads, and an event the process had but did not write would be lost to the monitoring server.
 */
export function jsonLinesAuditSink(file: string): AuditSink & { close(): Promise<void> } {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let fd: number | undefined = openSync(file, 'a', 0o600);
  const sink = (event: Record<string, unknown>) => {
    if (fd === undefined) throw new Error(`audit log ${file} is closed`);
    writeSync(fd, `${JSON.stringify({ eventId: randomUUID(), ...event })}\n`);
  };
  return Object.assign(sink, {
    close: async () => {
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  });
}

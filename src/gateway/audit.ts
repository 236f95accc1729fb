import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The audit events the gateway emits. Every event has `type` and `ts` (ISO time); events of one
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
 * Appends events as JSON lines to a file (mode 0600: it names users and hosts). Writes are
 * buffered by the stream; `close()` flushes.
 */
export function jsonLinesAuditSink(file: string): AuditSink & { close(): Promise<void> } {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const stream = createWriteStream(file, { flags: 'a', mode: 0o600 });
  const sink = (event: Record<string, unknown>) => {
    stream.write(`${JSON.stringify(event)}\n`);
  };
  return Object.assign(sink, {
    close: () => new Promise<void>((resolve) => stream.end(resolve)),
  });
}

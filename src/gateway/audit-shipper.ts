import { closeSync, fstatSync, openSync, readFileSync, readSync, renameSync, writeFileSync } from 'node:fs';
import type { Logger } from '../log/index.ts';
import type { AuditEntry } from '../store/index.ts';
import { MAX_INGEST_BATCH } from '../web/audit/audit-ingest.ts';
import { gatewayAuditEntry } from './audit-entry.ts';

export type ShippedEntry = Omit<AuditEntry, 'id' | 'source'> & { eventId: string };

export interface AuditShipperOptions {
  /** the gateway's JSON-lines audit log: the outbox */
  auditFile: string;
  /** where the offset of the first line not yet delivered is kept */
  offsetFile: string;
  /** the bastion's name, the entries' source on the monitoring server */
  source: string;
  /** delivers one batch; throws (ReportError) when it was not stored */
  post: (body: {
    source: string;
    entries: ShippedEntry[];
  }) => Promise<{ stored: number; duplicates: number }>;
  logger: Logger;
  /** events per request (default 500, at most the server's MAX_INGEST_BATCH) */
  batchSize?: number;
  /** how often the log is looked at for lines other processes wrote (default 1 s) */
  pollMs?: number;
  /** first retry delay after a failure, doubled up to maxBackoffMs (defaults 1 s, 60 s) */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export interface AuditShipperStats {
  /** events the server acknowledged (stored now or had already) since start */
  shipped: number;
  /** complete lines in the log not yet acknowledged */
  pending: number;
  /** failed delivery attempts since start */
  failures: number;
  /** ms since epoch of the last acknowledged batch */
  lastShippedAt: number | undefined;
}

interface Cursor {
  /** byte offset of the first line not yet acknowledged */
  offset: number;
  /** inode of the log it belongs to: another file (rotated, restored) starts from 0 */
  ino: number;
}

/** The largest read per attempt; a line longer than this is not an audit event (it is skipped). */
const MAX_READ = 4 * 1024 * 1024;

/**
 * Ships the gateway's audit log to the monitoring server, never losing or doubling an event: the
 * JSON-lines file is the outbox, a durable offset says what the server acknowledged, batches are
 * re-sent until acknowledged (with backoff while the server is down or refuses), and the server
 * stores each (source, eventId) once, so a batch re-sent after a lost answer is harmless.
 */
export function startAuditShipper(opts: AuditShipperOptions): {
  /** ship soon (the gateway just wrote an event) */
  nudge(): void;
  stats(): AuditShipperStats;
  /**
   * One last pass, for at most `timeoutMs` (the gateway's final disconnect events on SIGTERM),
   * unless a failing server is being backed off from.
   */
  drain(timeoutMs: number): Promise<void>;
  /** stops after the batch in flight, if any */
  close(): Promise<void>;
} {
  const batchSize = Math.min(opts.batchSize ?? 500, MAX_INGEST_BATCH);
  const pollMs = opts.pollMs ?? 1000;
  const backoffMs = opts.backoffMs ?? 1000;
  const maxBackoffMs = opts.maxBackoffMs ?? 60_000;
  const log = opts.logger;
  let cursor = readCursor(opts.offsetFile);
  const stats: AuditShipperStats = { shipped: 0, pending: 0, failures: 0, lastShippedAt: undefined };
  /** bytes up to here have been counted into stats.pending */
  let countedTo = cursor.offset;
  let consecutiveFailures = 0;
  let retryAt = 0;
  let lastError = '';
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<void> | undefined;
  let closed = false;

  const schedule = (delayMs: number) => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => void run(), delayMs);
    timer.unref();
  };

  /** Starts a pass unless one is under way (one batch in flight at a time). */
  const run = (): Promise<void> => {
    // .finally runs after the assignment even when the pass completes without awaiting.
    inFlight ??= pass().finally(() => {
      inFlight = undefined;
    });
    return inFlight;
  };

  /** One pass: ship every complete line there is, batch by batch, until caught up or failing. */
  const pass = async (): Promise<void> => {
    try {
      while (!closed) {
        const batch = readBatch();
        if (!batch) break;
        if (batch.entries.length > 0) {
          const answer = await opts.post({ source: opts.source, entries: batch.entries });
          stats.shipped += batch.entries.length;
          stats.lastShippedAt = Date.now();
          if (answer.duplicates > 0) {
            log.info(
              { duplicates: answer.duplicates },
              'gateway audit: the server had some events already (a re-send)',
            );
          }
        }
        cursor = { ...cursor, offset: batch.end };
        writeCursor(opts.offsetFile, cursor);
        stats.pending = Math.max(0, stats.pending - batch.lines);
        if (consecutiveFailures > 0) {
          log.info(
            { after: consecutiveFailures, pending: stats.pending },
            'gateway audit: shipping to the monitoring server works again',
          );
          consecutiveFailures = 0;
          lastError = '';
        }
      }
      schedule(pollMs);
    } catch (err) {
      stats.failures++;
      consecutiveFailures++;
      const delay = Math.min(maxBackoffMs, backoffMs * 2 ** Math.min(consecutiveFailures - 1, 20));
      // Jitter, so bastions restarted together do not retry in step.
      const wait = Math.round(delay * (0.8 + Math.random() * 0.4));
      retryAt = Date.now() + wait;
      const message = (err as Error).message;
      // Every failure while it changes, then once per ~10 attempts: visible, not a flood.
      if (message !== lastError || consecutiveFailures % 10 === 1) {
        log.error(
          { attempt: consecutiveFailures, pending: stats.pending, retryInMs: wait, err: message },
          'gateway audit: shipping to the monitoring server failed; events stay queued in the audit log',
        );
      }
      lastError = message;
      schedule(wait);
    }
  };

  /**
   * The next complete lines after the cursor, as entries. Lines that are not JSON are skipped
   * (and logged): they cannot be events, and they must not block the ones after them.
   */
  const readBatch = (): { entries: ShippedEntry[]; end: number; lines: number } | null => {
    let fd: number;
    try {
      fd = openSync(opts.auditFile, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null; // nothing audited yet
      throw err;
    }
    try {
      const st = fstatSync(fd);
      if (st.ino !== cursor.ino || st.size < cursor.offset) {
        if (cursor.ino !== 0 || cursor.offset !== 0) {
          log.warn(
            { file: opts.auditFile },
            'gateway audit: the audit log was replaced or truncated; shipping it from its start (the server skips events it has)',
          );
        }
        cursor = { offset: 0, ino: st.ino };
        countedTo = 0;
        stats.pending = 0;
      }
      countPending(fd, st.size);
      if (st.size <= cursor.offset) return null;
      const length = Math.min(st.size - cursor.offset, MAX_READ);
      const buffer = Buffer.allocUnsafe(length);
      const got = readSync(fd, buffer, 0, length, cursor.offset);
      const chunk = buffer.subarray(0, got);
      const entries: ShippedEntry[] = [];
      let start = 0;
      let lines = 0;
      while (entries.length < batchSize) {
        const newline = chunk.indexOf(10, start);
        if (newline < 0) break;
        const lineOffset = cursor.offset + start;
        const entry = parseLine(chunk.toString('utf8', start, newline), lineOffset, st.ino);
        if (entry) entries.push(entry);
        else
          log.warn(
            { offset: lineOffset },
            'gateway audit: skipping a line of the audit log that is not an event',
          );
        start = newline + 1;
        lines++;
      }
      if (lines === 0) {
        if (got < MAX_READ) return null; // the last line is still being written
        log.error(
          { offset: cursor.offset },
          'gateway audit: skipping 4 MiB without a line end (not an audit event)',
        );
        return { entries: [], end: cursor.offset + got, lines: 0 };
      }
      return { entries, end: cursor.offset + start, lines };
    } finally {
      closeSync(fd);
    }
  };

  /** Counts the lines appended since the last look, so `pending` is known without re-reading. */
  const countPending = (fd: number, size: number) => {
    const buffer = Buffer.allocUnsafe(1024 * 1024);
    while (countedTo < size) {
      const got = readSync(fd, buffer, 0, Math.min(buffer.length, size - countedTo), countedTo);
      if (got <= 0) break;
      let at = buffer.indexOf(10, 0);
      while (at >= 0 && at < got) {
        stats.pending++;
        at = buffer.indexOf(10, at + 1);
      }
      countedTo += got;
    }
  };

  schedule(0);
  return {
    nudge() {
      // During a backoff the retry is already scheduled; hammering a down server helps nobody.
      if (closed || inFlight || Date.now() < retryAt) return;
      schedule(50);
    },
    stats: () => ({ ...stats }),
    async drain(timeoutMs) {
      if (closed || Date.now() < retryAt) return;
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([
        run(),
        new Promise<void>((resolve) => {
          timeout = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timeout);
    },
    async close() {
      closed = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

/** One line as a shippable entry; lines written before events had ids get one from their place. */
function parseLine(line: string, offset: number, ino: number): ShippedEntry | null {
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return null;
  const entry = gatewayAuditEntry(event as Record<string, unknown>);
  return {
    ...entry,
    time: Math.max(0, Math.round(entry.time)),
    actor: entry.actor.slice(0, 256),
    action: entry.action.slice(0, 128),
    target: entry.target.slice(0, 512),
    ip: entry.ip.slice(0, 64),
    eventId: (entry.eventId ?? `line-${ino}-${offset}`).slice(0, 128),
  };
}

function readCursor(file: string): Cursor {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Cursor>;
    if (Number.isInteger(parsed.offset) && Number.isInteger(parsed.ino)) {
      return { offset: parsed.offset!, ino: parsed.ino! };
    }
  } catch {
    // none yet, or unreadable: start from the beginning (the server skips what it has)
  }
  return { offset: 0, ino: 0 };
}

/** Written to a temporary file and renamed: a crash leaves the old offset or the new, never half. */
function writeCursor(file: string, cursor: Cursor): void {
  writeFileSync(`${file}.tmp`, `${JSON.stringify(cursor)}\n`, { mode: 0o600 });
  renameSync(`${file}.tmp`, file);
}

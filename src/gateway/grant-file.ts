import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { GatewayGrant } from './config.ts';
import { withFileLock } from './file-lock.ts';

/** A grant as kept on disk: the gateway's fields plus who asked and when, for the audit trail. */
export interface StoredGrant extends GatewayGrant {
  id: string;
  grantedAt: number;
  grantedBy?: string;
  revokedAt?: number;
  revokedBy?: string;
}

interface GrantFileShape {
  version: 1;
  grants: StoredGrant[];
}

function load(file: string): StoredGrant[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const parsed = JSON.parse(text) as GrantFileShape;
  if (parsed?.version !== 1 || !Array.isArray(parsed.grants)) {
    throw new Error(`${file} is not a Steward grants file (expected {"version":1,"grants":[...]})`);
  }
  return parsed.grants;
}

function save(file: string, grants: StoredGrant[]): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify({ version: 1, grants } satisfies GrantFileShape, null, 2)}\n`, {
    mode: 0o600,
  });
  // rename is atomic: the gateway reads either the old list or the new one, never half a file
  renameSync(tmp, file);
}

/**
 * The grants source for GatewayConfig.grants: re-reads the file only when it changed (a stat per
 * forward), so `steward access grant|revoke` take effect on the next forward without a restart.
 * Revoked grants are left out. A file that cannot be read throws; the gateway then grants nothing.
 */
export function grantFileSource(file: string): () => GatewayGrant[] {
  let stamp = '';
  let cached: GatewayGrant[] = [];
  return () => {
    let current: string;
    try {
      const st = statSync(file);
      current = `${st.ino}:${st.mtimeMs}:${st.size}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    if (current !== stamp) {
      cached = load(file).filter((g) => g.revokedAt === undefined);
      stamp = current;
    }
    return cached;
  };
}

/** `steward access grant USER ENV --for 2h --reason "..."`: appends a grant and returns it. */
export function addGrant(
  file: string,
  grant: {
    user: string;
    environment: string;
    durationMs: number;
    reason: string;
    grantedBy?: string;
    now?: number;
  },
): StoredGrant {
  if (!grant.reason.trim())
    throw new Error('a grant needs a reason (--reason "INC-123 ..."), it goes to the audit log');
  if (!(grant.durationMs > 0)) throw new Error('a grant needs a positive duration (--for 2h)');
  const now = grant.now ?? Date.now();
  const stored: StoredGrant = {
    id: randomUUID(),
    user: grant.user,
    environment: grant.environment,
    expiresAt: now + grant.durationMs,
    reason: grant.reason.trim(),
    grantedAt: now,
    ...(grant.grantedBy ? { grantedBy: grant.grantedBy } : {}),
  };
  // Expired and revoked grants older than a week are dropped so the file stays small; the audit
  // log keeps the history.
  const keepAfter = now - 7 * 24 * 3600_000;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  withFileLock(file, () => {
    const kept = load(file).filter((g) => Math.max(g.expiresAt, g.revokedAt ?? 0) > keepAfter);
    save(file, [...kept, stored]);
  });
  return stored;
}

/**
 * `steward access revoke USER [ENV]`: revokes the user's unexpired grants (for ENV, or all).
 * Open forwards they carried are cut at the gateway's next re-check. Returns what was revoked.
 */
export function revokeGrants(
  file: string,
  which: { user: string; environment?: string; revokedBy?: string; now?: number },
): StoredGrant[] {
  const now = which.now ?? Date.now();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  return withFileLock(file, () => {
    const grants = load(file);
    const revoked: StoredGrant[] = [];
    for (const g of grants) {
      if (g.user !== which.user || g.revokedAt !== undefined || g.expiresAt <= now) continue;
      if (which.environment !== undefined && g.environment !== which.environment) continue;
      g.revokedAt = now;
      if (which.revokedBy) g.revokedBy = which.revokedBy;
      revoked.push(g);
    }
    if (revoked.length > 0) save(file, grants);
    return revoked;
  });
}

/** Grants as they stand, for `steward access grants` and the dashboard: active ones first. */
export function listGrants(file: string, now = Date.now()): (StoredGrant & { active: boolean })[] {
  return load(file)
    .map((g) => ({ ...g, active: g.revokedAt === undefined && g.expiresAt > now }))
    .sort((a, b) => Number(b.active) - Number(a.active) || b.expiresAt - a.expiresAt);
}

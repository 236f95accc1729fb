/**
 * Endpoints that answered v2 after refusing v4. check_nrpe pays for the failed v4 attempt on every
 * check (a process has no memory); remembering spares a connection per check to old daemons
 * (nrpe 2.x, NSClient++). Forgotten after an hour so an upgraded daemon is spoken to in v4 again.
 */
const V2_MEMORY_MS = 60 * 60 * 1000;
const MAX_ENTRIES = 10_000;
const v2Only = new Map<string, number>();

export function knownV2Only(endpoint: string, now = Date.now()): boolean {
  const until = v2Only.get(endpoint);
  if (until === undefined) return false;
  if (until > now) return true;
  v2Only.delete(endpoint);
  return false;
}

export function rememberV2Only(endpoint: string, now = Date.now()): void {
  if (v2Only.size >= MAX_ENTRIES && !v2Only.has(endpoint)) {
    const oldest = v2Only.keys().next().value;
    if (oldest !== undefined) v2Only.delete(oldest);
  }
  v2Only.set(endpoint, now + V2_MEMORY_MS);
}

export function forgetV2Only(endpoint: string): void {
  v2Only.delete(endpoint);
}

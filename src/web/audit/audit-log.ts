import type { AuditEntry, Store } from '../../store/types.ts';

export type AuditInput = Omit<AuditEntry, 'id' | 'time' | 'details'> & { details?: Record<string, unknown> };

/** Records one audited fact now. Never given secrets: callers pass names, ids and reasons only. */
export function audit(store: Store, e: AuditInput): void {
  store.appendAudit({ ...e, details: e.details ?? {}, time: Date.now() });
}

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** The audit log as CSV (time ISO, source, actor, action, target, outcome, ip, details JSON). */
export function auditCsv(entries: AuditEntry[]): string {
  const lines = ['id,time,source,actor,action,target,outcome,ip,details'];
  for (const e of entries) {
    lines.push(
      [
        String(e.id),
        new Date(e.time).toISOString(),
        e.source ?? 'local',
        e.actor,
        e.action,
        e.target,
        e.outcome,
        e.ip,
        JSON.stringify(e.details),
      ]
        .map(csvCell)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function auditView(e: AuditEntry) {
  return { ...e, time: new Date(e.time).toISOString() };
}

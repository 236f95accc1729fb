/**
 * The disaster-recovery drill: restore the newest snapshot into scratch space, prove it is whole,
 * and measure what a real recovery would have cost — RPO (how old the restored data is) and RTO
 * (how long restoring and verifying took) — against the job's targets.
 */
import { lstatSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseSource } from '../core/backup.ts';
import { formatDuration } from '../core/duration.ts';
import { databaseEngine } from './database.ts';
import { appendHistory } from './history.ts';
import { type JobContext, lockDir } from './job-context.ts';
import { withRepositoryLock } from './repository-lock.ts';
import { listFiles } from './restic.ts';
import { findSnapshot, restoreDatabase, restoreFiles } from './restore.ts';

export interface DrillReport {
  job: string;
  ok: boolean;
  startedAt: number;
  finishedAt: number;
  snapshotId?: string;
  snapshotTime?: string;
  /** Age of the restored data when the drill started. */
  rpoMs?: number;
  /** Time to restore and verify. */
  rtoMs?: number;
  rpoExceeded: boolean;
  rtoExceeded: boolean;
  files?: number;
  bytes?: number;
  tables?: number;
  rows?: number;
  /** What did not verify; empty when the restore is whole. */
  problems: string[];
  error?: string;
}

async function verifyFiles(
  ctx: JobContext,
  snapshotId: string,
  dir: string,
  report: DrillReport,
): Promise<void> {
  const nodes = await listFiles(ctx.target, snapshotId);
  let files = 0;
  let bytes = 0;
  for (const node of nodes) {
    if (node.type !== 'file') continue;
    files++;
    bytes += node.size ?? 0;
    const restored = join(dir, node.path);
    try {
      const stat = lstatSync(restored);
      if (!stat.isFile()) report.problems.push(`${node.path}: restored as something other than a file`);
      else if (stat.size !== (node.size ?? 0))
        report.problems.push(`${node.path}: ${stat.size} bytes restored, the snapshot says ${node.size}`);
    } catch {
      report.problems.push(`${node.path}: missing after restore`);
    }
    if (report.problems.length > 20) break;
  }
  report.files = files;
  report.bytes = bytes;
}

export async function runDrill(ctx: JobContext, options: { scratchDir?: string } = {}): Promise<DrillReport> {
  const { job } = ctx;
  const startedAt = Date.now();
  const report: DrillReport = {
    job: job.name,
    ok: false,
    startedAt,
    finishedAt: startedAt,
    rpoExceeded: false,
    rtoExceeded: false,
    problems: [],
  };
  try {
    await withRepositoryLock(lockDir(ctx.dataDir), job.repository, async () => {
      const snapshot = await findSnapshot(ctx, 'latest');
      report.snapshotId = snapshot.id;
      report.snapshotTime = snapshot.time;
      const restoreStarted = Date.now();
      report.rpoMs = Math.max(0, restoreStarted - Date.parse(snapshot.time));
      if (job.source.kind === 'files') {
        const dir = mkdtempSync(join(options.scratchDir ?? tmpdir(), `steward-drill-${job.name}-`));
        try {
          await restoreFiles(ctx, snapshot, dir);
          ctx.onProgress?.({ job: job.name, phase: 'verify' });
          await verifyFiles(ctx, snapshot.id, dir, report);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      } else {
        const source = job.source as DatabaseSource;
        const engine = databaseEngine(source);
        // MySQL names stop at 64 characters, PostgreSQL's at 63: keep the time, shorten the name.
        const scratch =
          `steward_drill_${job.name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 30)}_${restoreStarted}`.toLowerCase();
        try {
          const manifest = await restoreDatabase(ctx, snapshot, scratch);
          if (manifest === null)
            report.problems.push(
              'the dump has no Steward manifest (cut short, or not made by Steward): rows cannot be verified',
            );
          else {
            ctx.onProgress?.({ job: job.name, phase: 'verify' });
            let rows = 0;
            const restored = await engine.figures(source, scratch, Object.keys(manifest.tables));
            for (const [table, expected] of Object.entries(manifest.tables)) {
              const actual = restored[table];
              if (actual === undefined) {
                report.problems.push(`${table}: missing after restore`);
                continue;
              }
              rows += actual.rows;
              if (actual.rows !== expected.rows)
                report.problems.push(`${table}: ${actual.rows} rows restored, ${expected.rows} backed up`);
              else if (actual.hash !== expected.hash)
                report.problems.push(`${table}: row checksum differs from the backup's`);
            }
            report.tables = Object.keys(manifest.tables).length;
            report.rows = rows;
          }
        } finally {
          await engine.drop(source, scratch).catch(() => undefined);
        }
      }
      report.rtoMs = Date.now() - restoreStarted;
    });
    report.rpoExceeded = job.rpoTargetMs !== undefined && (report.rpoMs ?? 0) > job.rpoTargetMs;
    report.rtoExceeded = job.rtoTargetMs !== undefined && (report.rtoMs ?? 0) > job.rtoTargetMs;
    report.ok = report.problems.length === 0 && !report.rpoExceeded && !report.rtoExceeded;
  } catch (err) {
    report.error = err instanceof Error ? err.message : String(err);
  }
  report.finishedAt = Date.now();
  appendHistory(ctx.dataDir, {
    type: 'drill',
    at: new Date(report.finishedAt).toISOString(),
    ...report,
    ok: report.ok,
  });
  ctx.log?.[report.ok ? 'info' : 'error'](
    {
      job: job.name,
      ok: report.ok,
      rpoMs: report.rpoMs,
      rtoMs: report.rtoMs,
      problems: report.problems.length,
      error: report.error,
    },
    'backup drill finished',
  );
  return report;
}

export function describeDrill(
  report: DrillReport,
  targets: { rpoTargetMs?: number; rtoTargetMs?: number },
): string[] {
  const fmt = (ms: number | undefined) => (ms === undefined ? 'n/a' : formatDuration(ms));
  const target = (ms: number | undefined) => (ms === undefined ? '' : ` (target ${formatDuration(ms)})`);
  return [
    `RPO ${fmt(report.rpoMs)}${target(targets.rpoTargetMs)}${report.rpoExceeded ? ' EXCEEDED' : ''}`,
    `RTO ${fmt(report.rtoMs)}${target(targets.rtoTargetMs)}${report.rtoExceeded ? ' EXCEEDED' : ''}`,
  ];
}

/**
 * Repository upkeep: retention (`restic forget` with the job's keep* rules, then prune) and
 * integrity (`restic check`, reading all pack data by default so corruption is found).
 */
import type { BackupRetention } from '../core/backup.ts';
import { appendHistory } from './history.ts';
import { type JobContext, jobTagFilter, lockDir } from './job-context.ts';
import { withRepositoryLock } from './repository-lock.ts';
import { runResticUnlocking } from './restic.ts';

export function retentionArgs(retention: BackupRetention): string[] {
  const args: string[] = [];
  for (const [key, flag] of [
    ['hourly', '--keep-hourly'],
    ['daily', '--keep-daily'],
    ['weekly', '--keep-weekly'],
    ['monthly', '--keep-monthly'],
    ['yearly', '--keep-yearly'],
  ] as const) {
    const n = retention[key];
    if (n !== undefined) args.push(flag, String(n));
  }
  return args;
}

export interface ForgetReport {
  kept: string[];
  removed: string[];
}

export async function forgetSnapshots(
  ctx: JobContext,
  options: { prune?: boolean } = {},
): Promise<ForgetReport> {
  const keep = retentionArgs(ctx.job.retention);
  if (keep.length === 0)
    throw new Error(
      `job "${ctx.job.name}" has no retention (keepDaily, keepWeekly ...): refusing to forget anything`,
    );
  return await withRepositoryLock(lockDir(ctx.dataDir), ctx.job.repository, async () => {
    const args = ['forget', '--json', '--group-by', 'tags'];
    args.push('--tag', jobTagFilter(ctx.job));
    args.push(...keep);
    const run = await runResticUnlocking(ctx.target, args);
    // Pruned separately: `forget --prune` mixes prune's text into the JSON output.
    if (options.prune !== false) await runResticUnlocking(ctx.target, ['prune']);
    const groups = JSON.parse(run.stdout.trim() || '[]') as
      | { keep?: { id: string }[]; remove?: { id: string }[] }[]
      | null;
    const report: ForgetReport = { kept: [], removed: [] };
    for (const g of groups ?? []) {
      report.kept.push(...(g.keep ?? []).map((s) => s.id));
      report.removed.push(...(g.remove ?? []).map((s) => s.id));
    }
    appendHistory(ctx.dataDir, {
      type: 'forget',
      job: ctx.job.name,
      at: new Date().toISOString(),
      ok: true,
      kept: report.kept.length,
      removed: report.removed.length,
    });
    return report;
  });
}

export interface CheckReport {
  ok: boolean;
  durationMs: number;
  error?: string;
}

/** `restic check --read-data` (or a subset such as "10%"): fails on any damaged pack. */
export async function checkRepository(
  ctx: JobContext,
  options: { readDataSubset?: string } = {},
): Promise<CheckReport> {
  const started = Date.now();
  const args = [
    'check',
    options.readDataSubset ? `--read-data-subset=${options.readDataSubset}` : '--read-data',
  ];
  let report: CheckReport;
  try {
    await withRepositoryLock(lockDir(ctx.dataDir), ctx.job.repository, () =>
      runResticUnlocking(ctx.target, args),
    );
    report = { ok: true, durationMs: Date.now() - started };
  } catch (err) {
    report = {
      ok: false,
      durationMs: Date.now() - started,
      error: err instanceof Error ? err.message : String(err),
    };
  }
  appendHistory(ctx.dataDir, { type: 'check', job: ctx.job.name, at: new Date().toISOString(), ...report });
  return report;
}

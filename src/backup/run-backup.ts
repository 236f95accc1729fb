/**
 * One backup run: files straight from disk, databases as a dump streamed through Steward (which
 * counts and hashes the rows on the way) into `restic backup --stdin`; nothing unencrypted ever
 * lands on disk. One job at a time per repository.
 */
import type { DatabaseSource } from '../core/backup.ts';
import { databaseEngine } from './database.ts';
import { DumpManifestTransform } from './dump-manifest.ts';
import { appendHistory } from './history.ts';
import { type JobContext, jobTags, lockDir } from './job-context.ts';
import { progressFromStatus } from './progress.ts';
import { withRepositoryLock } from './repository-lock.ts';
import { ensureRepository, runResticUnlocking } from './restic.ts';

export interface BackupRunReport {
  job: string;
  ok: boolean;
  /** Some files could not be read: the snapshot exists but is incomplete. */
  partial: boolean;
  startedAt: number;
  finishedAt: number;
  snapshotId?: string;
  filesNew?: number;
  filesChanged?: number;
  filesUnmodified?: number;
  totalFiles?: number;
  totalBytes?: number;
  dataAdded?: number;
  /** Database dumps: tables and rows seen in the stream. */
  tables?: number;
  rows?: number;
  error?: string;
}

/** The file name a database dump has inside its snapshot. */
export function dumpFileName(source: DatabaseSource): string {
  return `${source.kind}-${source.database}.sql`;
}

export async function runBackup(ctx: JobContext): Promise<BackupRunReport> {
  const { job, target } = ctx;
  const startedAt = Date.now();
  const report: BackupRunReport = {
    job: job.name,
    ok: false,
    partial: false,
    startedAt,
    finishedAt: startedAt,
  };
  try {
    await withRepositoryLock(lockDir(ctx.dataDir), job.repository, async () => {
      if (await ensureRepository(target))
        ctx.log?.info({ job: job.name, repository: job.repository }, 'restic repository initialised');
      const args = ['backup', '--json'];
      for (const tag of jobTags(job)) args.push('--tag', tag);
      const onJson = (m: Record<string, unknown>) => {
        if (m.message_type === 'status') {
          ctx.onProgress?.(progressFromStatus(job.name, 'backup', m));
        } else if (m.message_type === 'summary') {
          report.snapshotId = m.snapshot_id as string;
          report.filesNew = m.files_new as number;
          report.filesChanged = m.files_changed as number;
          report.filesUnmodified = m.files_unmodified as number;
          report.totalFiles = m.total_files_processed as number;
          report.totalBytes = m.total_bytes_processed as number;
          report.dataAdded = m.data_added as number;
        }
      };
      if (job.source.kind === 'files') {
        for (const pattern of job.source.exclude) args.push('--exclude', pattern);
        args.push('--', ...job.source.paths);
        const run = await runResticUnlocking(target, args, { onJson, okCodes: [3] }, () =>
          ctx.log?.warn({ job: job.name }, 'stale restic lock removed'),
        );
        report.partial = run.code === 3;
        if (report.partial)
          report.error = `some files could not be read: ${run.stderr.trim().split('\n').slice(0, 3).join(' | ')}`;
      } else {
        const source = job.source;
        const engine = databaseEngine(source);
        const dump = engine.dump(source);
        const manifest = new DumpManifestTransform(engine.rows(), () => dump.done);
        dump.stream.on('error', (err) => manifest.destroy(err));
        dump.stream.pipe(manifest);
        args.push('--stdin', '--stdin-filename', dumpFileName(source));
        // A failed dump errors the stream before its end: restic is stopped and saves no snapshot.
        let dumpError: Error | undefined;
        dump.done.catch((err: Error) => {
          dumpError ??= err;
        });
        await runResticUnlocking(target, args, { onJson, stdin: manifest }).catch((err: Error) => {
          // Which failed first says what to report: the dump (restic was stopped for it) or restic.
          const cause = dumpError ?? err;
          // restic is gone: nothing reads the dump any more, so the dump would block forever.
          dump.stop();
          throw cause;
        });
        const tables = Object.values(manifest.manifest.tables);
        report.tables = tables.length;
        report.rows = tables.reduce((sum, t) => sum + t.rows, 0);
      }
    });
    report.ok = !report.partial;
  } catch (err) {
    report.error = err instanceof Error ? err.message : String(err);
  }
  report.finishedAt = Date.now();
  appendHistory(ctx.dataDir, {
    type: 'run',
    at: new Date(report.finishedAt).toISOString(),
    ...report,
    ok: report.ok,
  });
  ctx.log?.[report.ok ? 'info' : 'error'](
    {
      job: job.name,
      ok: report.ok,
      snapshot: report.snapshotId,
      durationMs: report.finishedAt - startedAt,
      error: report.error,
    },
    'backup run finished',
  );
  return report;
}

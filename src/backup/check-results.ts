/**
 * Backup runs and drills as check results of their passive services: a failure is CRITICAL and
 * alerts like any check; the figures are perfdata, which the engine stores as metric series.
 */
import type { BackupJobModel } from '../core/backup.ts';
import { formatDuration } from '../core/duration.ts';
import type { CheckResult, PerfDatum } from '../core/result.ts';
import { type DrillReport, describeDrill } from './drill.ts';
import type { BackupRunReport } from './run-backup.ts';

const seconds = (ms: number) => Math.round(ms) / 1000;

export function runResult(report: BackupRunReport): CheckResult {
  const perfdata: PerfDatum[] = [
    { label: 'duration', value: seconds(report.finishedAt - report.startedAt), uom: 's', min: 0 },
  ];
  if (report.totalBytes !== undefined)
    perfdata.push({ label: 'size', value: report.totalBytes, uom: 'B', min: 0 });
  if (report.dataAdded !== undefined)
    perfdata.push({ label: 'added', value: report.dataAdded, uom: 'B', min: 0 });
  if (report.totalFiles !== undefined)
    perfdata.push({ label: 'files', value: report.totalFiles, uom: '', min: 0 });
  if (report.rows !== undefined) perfdata.push({ label: 'rows', value: report.rows, uom: '', min: 0 });
  // The newest snapshot is the one just made: age 0 on success; failures leave the series unchanged.
  if (report.ok) perfdata.push({ label: 'snapshot_age', value: 0, uom: 's', min: 0 });
  const took = formatDuration(report.finishedAt - report.startedAt);
  let state = 0;
  let output: string;
  if (report.ok) output = `backup ${report.job} OK: snapshot ${report.snapshotId?.slice(0, 8)} in ${took}`;
  else if (report.partial) {
    state = 1;
    output = `backup ${report.job} incomplete: snapshot ${report.snapshotId?.slice(0, 8)} misses unreadable files`;
  } else {
    state = 2;
    output = `backup ${report.job} FAILED after ${took}`;
  }
  return {
    state,
    output,
    longOutput: report.error ?? '',
    perfdata,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
  };
}

export function drillResult(report: DrillReport, job: BackupJobModel): CheckResult {
  const perfdata: PerfDatum[] = [];
  if (report.rpoMs !== undefined)
    perfdata.push({
      label: 'rpo',
      value: seconds(report.rpoMs),
      uom: 's',
      min: 0,
      ...(job.rpoTargetMs === undefined ? {} : { crit: String(seconds(job.rpoTargetMs)) }),
    });
  if (report.rtoMs !== undefined)
    perfdata.push({
      label: 'rto',
      value: seconds(report.rtoMs),
      uom: 's',
      min: 0,
      ...(job.rtoTargetMs === undefined ? {} : { crit: String(seconds(job.rtoTargetMs)) }),
    });
  if (report.rpoMs !== undefined)
    perfdata.push({ label: 'snapshot_age', value: seconds(report.rpoMs), uom: 's', min: 0 });
  if (report.files !== undefined) perfdata.push({ label: 'files', value: report.files, uom: '', min: 0 });
  if (report.rows !== undefined) perfdata.push({ label: 'rows', value: report.rows, uom: '', min: 0 });
  const figures = describeDrill(report, job).join(', ');
  let output: string;
  if (report.error !== undefined) output = `drill ${report.job} FAILED: ${report.error.split('\n')[0]}`;
  else if (report.problems.length > 0)
    output = `drill ${report.job} FAILED: ${report.problems.length} problem(s) verifying the restore; ${figures}`;
  else if (!report.ok) output = `drill ${report.job} over target: ${figures}`;
  else output = `drill ${report.job} OK: restore verified; ${figures}`;
  return {
    state: report.ok ? 0 : 2,
    output,
    longOutput: report.problems.join('\n'),
    perfdata,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
  };
}

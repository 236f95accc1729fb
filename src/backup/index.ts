/** Backups with restic, watched as checks and proven by restore drills. */

export { drillResult, runResult } from './check-results.ts';
export { type CronSchedule, cronProblem, longestGap, nextRun, parseCron } from './cron.ts';
export { type DrillReport, describeDrill, runDrill } from './drill.ts';
export { type HistoryEntry, lastEntry, readHistory } from './history.ts';
export {
  findJob,
  type JobContext,
  jobContext,
  jobTagFilter,
  jobTags,
} from './job-context.ts';
export {
  type CheckReport,
  checkRepository,
  type ForgetReport,
  forgetSnapshots,
  retentionArgs,
} from './maintenance.ts';
export { type BackupProgress, describeProgress } from './progress.ts';
export {
  type HostBackupOptions,
  onCalendar,
  type RenderedFile,
  renderHostBackupJobs,
} from './render-host-job.ts';
export { listSnapshots, ResticError, type Snapshot } from './restic.ts';
export { findSnapshot, restoreSnapshot } from './restore.ts';
export { type BackupRunReport, runBackup } from './run-backup.ts';
export { BackupScheduler, type BackupSchedulerOptions, type BackupTaskKind } from './scheduler.ts';

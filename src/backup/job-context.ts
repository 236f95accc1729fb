/**
 * Everything one backup operation needs: the job, its repository as a restic target (password
 * from the environment or file), where Steward keeps locks and history, and where progress goes.
 */
import { join } from 'node:path';
import type { BackupJobModel, BackupModel, BackupRepositoryModel } from '../core/backup.ts';
import type { Logger } from '../log/index.ts';
import { resticTarget } from './password.ts';
import type { BackupProgress } from './progress.ts';
import type { ResticTarget } from './restic.ts';

export interface JobContext {
  job: BackupJobModel;
  repository: BackupRepositoryModel;
  target: ResticTarget;
  dataDir: string;
  log?: Logger;
  onProgress?: (progress: BackupProgress) => void;
  env: NodeJS.ProcessEnv;
}

export function findJob(backup: BackupModel | undefined, name: string): BackupJobModel {
  const jobs = backup?.jobs ?? [];
  const job = jobs.find((j) => j.name === name);
  if (job === undefined)
    throw new Error(
      jobs.length === 0
        ? `no backup job "${name}": the spec has no backup.jobs`
        : `no backup job "${name}"; the spec defines: ${jobs.map((j) => j.name).join(', ')}`,
    );
  return job;
}

export function jobContext(
  backup: BackupModel | undefined,
  name: string,
  options: {
    dataDir: string;
    log?: Logger;
    onProgress?: (p: BackupProgress) => void;
    env?: NodeJS.ProcessEnv;
    /** Stops the operation's restic processes (steward serve stopping). */
    signal?: AbortSignal;
  },
): JobContext {
  const job = findJob(backup, name);
  const repository = backup!.repositories.find((r) => r.name === job.repository)!;
  const env = options.env ?? process.env;
  const context: JobContext = {
    job,
    repository,
    target: resticTarget(repository, env),
    dataDir: options.dataDir,
    env,
  };
  if (options.log) context.log = options.log;
  if (options.onProgress) context.onProgress = options.onProgress;
  if (options.signal) context.target.signal = options.signal;
  return context;
}

export function lockDir(dataDir: string): string {
  return join(dataDir, 'backup', 'locks');
}

/** Tags every snapshot of a job carries. */
export function jobTags(job: BackupJobModel): string[] {
  return ['steward', `job:${job.name}`];
}

/**
 * restic's --tag value selecting exactly the job's snapshots: tags joined by commas must all be
 * present (repeating --tag would select snapshots with any of them, i.e. every job's).
 */
export function jobTagFilter(job: BackupJobModel): string {
  return jobTags(job).join(',');
}

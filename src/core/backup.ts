/**
 * The resolved `backup:` section: restic repositories and the jobs that back up into them. Each
 * job is also a passive service (its runs are check results) and so is its drill.
 */
import type { SourceLocation } from './model.ts';

export interface BackupRepositoryModel {
  name: string;
  kind: 'restic';
  /** restic's repository URL: a path, s3:..., sftp:..., rest:... */
  repository: string;
  /** Where the password comes from: an environment variable name or a file; never the password. */
  passwordEnv?: string;
  passwordFile?: string;
  /** Bandwidth limits in KiB/s (restic --limit-upload / --limit-download). */
  limitUploadKiB?: number;
  limitDownloadKiB?: number;
  /** PEM file to verify the repository server's TLS certificate (restic --cacert). */
  caCert?: string;
  /** restic -o options (sftp.command, s3.region ...). */
  options?: Record<string, string>;
  source?: SourceLocation;
}

export interface FilesSource {
  kind: 'files';
  paths: string[];
  exclude: string[];
}

export interface DatabaseSource {
  kind: 'postgres' | 'mysql';
  host: string;
  port: number;
  database: string;
  user: string;
  /** Environment variable holding the database password (PGPASSWORD / MYSQL_PWD for the dump). */
  passwordEnv?: string;
}

export type BackupSource = FilesSource | DatabaseSource;

export interface BackupRetention {
  hourly?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
  yearly?: number;
}

export interface BackupJobModel {
  name: string;
  repository: string;
  source: BackupSource;
  /** Cron expression and the IANA zone its times are in. */
  schedule: string;
  timeZone: string;
  /** Cron for the restore drill and for `restic check`; none: only on demand. */
  drillSchedule?: string;
  checkSchedule?: string;
  retention: BackupRetention;
  rpoTargetMs?: number;
  rtoTargetMs?: number;
  /** Where the job runs: Steward itself (`steward serve`), or the host (a rendered systemd timer). */
  runOn: 'steward' | 'host';
  /** The host its services belong to: the job's `host`, or the backup pseudo-host. */
  host: string;
  /** Service ids: the backup runs' check results and the drills' check results. */
  serviceId: string;
  drillServiceId: string;
  location?: SourceLocation;
}

export interface BackupModel {
  /** The pseudo-host that carries the services of jobs without a host (default "backup"). */
  host: string;
  repositories: BackupRepositoryModel[];
  jobs: BackupJobModel[];
}

/**
 * The `backup:` section → BackupModel, plus what the engine watches: each job's runs and drills
 * are passive services whose freshness follows the job's schedule, so a missing backup goes
 * CRITICAL through the normal alerting path. Jobs without a host hang off a pseudo-host.
 */
import { readFileSync } from 'node:fs';
import { longestGap, parseCron } from '../backup/cron.ts';
import type { BackupJobModel, BackupModel, BackupSource } from '../core/backup.ts';
import { parseDuration } from '../core/duration.ts';
import type { CheckTiming, HostModel, ServiceModel } from '../core/model.ts';
import { serviceId } from '../core/model.ts';
import type { DocumentPath } from './errors.ts';
import type { BackupJobSpec, BackupSpec } from './schema/backup.ts';
import { DEFAULT_FLAP } from './schema/flap-detection.ts';
import { BUILT_IN_TIMING } from './schema/timing.ts';
import { type FileProblem, parseSourceFile } from './source-file.ts';

export const DEFAULT_BACKUP_HOST = 'backup';

/** Slack on top of the longest gap between two runs: the run itself takes time. */
export function freshnessFor(gapMs: number): number {
  return gapMs + Math.max(15 * 60_000, Math.round(gapMs / 10));
}

function sourceOf(job: BackupJobSpec): BackupSource {
  if (job.files !== undefined)
    return { kind: 'files', paths: job.files.paths, exclude: job.files.exclude ?? [] };
  const kind = job.postgres !== undefined ? 'postgres' : 'mysql';
  const db = (job.postgres ?? job.mysql)!;
  const source: BackupSource = {
    kind,
    host: db.host ?? '127.0.0.1',
    port: db.port ?? (kind === 'postgres' ? 5432 : 3306),
    database: db.database,
    user: db.user,
  };
  if (db.passwordEnv !== undefined) source.passwordEnv = db.passwordEnv;
  return source;
}

function passiveTiming(): CheckTiming {
  return {
    intervalMs: parseDuration(BUILT_IN_TIMING.interval)!,
    retryIntervalMs: parseDuration(BUILT_IN_TIMING.retryInterval)!,
    // A failed backup is a hard problem at once: there is no retry to wait for.
    maxAttempts: 1,
    timeoutMs: parseDuration(BUILT_IN_TIMING.timeout)!,
  };
}

function passiveService(
  host: HostModel,
  name: string,
  labels: Record<string, string>,
  freshnessMs: number | undefined,
): ServiceModel {
  const service: ServiceModel = {
    kind: 'service',
    id: serviceId(host.name, name),
    host: host.name,
    name,
    environment: host.environment,
    labels: { ...host.labels, ...labels },
    probe: { kind: 'passive' },
    timing: passiveTiming(),
    timeoutState: 2,
    flap: { enabled: false, lowThreshold: DEFAULT_FLAP.low, highThreshold: DEFAULT_FLAP.high },
  };
  if (freshnessMs !== undefined) service.freshness = { thresholdMs: freshnessMs, staleState: 2 };
  return service;
}

export function resolveBackup(
  backup: BackupSpec,
  mainFile: string,
  hosts: HostModel[],
  environments: string[],
  now = Date.now(),
): { backup: BackupModel; hosts: HostModel[]; services: ServiceModel[]; warnings: FileProblem[] } {
  const warnings: FileProblem[] = [];
  let file: ReturnType<typeof parseSourceFile>['file'] | undefined;
  const warn = (path: DocumentPath, message: string, hint: string) => {
    file ??= parseSourceFile(mainFile, readFileSync(mainFile, 'utf8')).file;
    warnings.push({ file, path: ['backup', ...path], message, hint, severity: 'warning' });
  };
  const pseudoName = backup.host ?? DEFAULT_BACKUP_HOST;
  const byName = new Map(hosts.map((h) => [h.name, h]));
  const newHosts: HostModel[] = [];
  const pseudoHost = (): HostModel => {
    let host = byName.get(pseudoName);
    if (host === undefined) {
      host = {
        kind: 'host',
        id: pseudoName,
        name: pseudoName,
        address: '127.0.0.1',
        pseudo: true,
        roles: [],
        parents: [],
        environment: environments[0] ?? 'default',
        labels: { steward: 'backup' },
        probe: null,
        timing: passiveTiming(),
        timeoutState: 2,
        flap: { enabled: false, lowThreshold: DEFAULT_FLAP.low, highThreshold: DEFAULT_FLAP.high },
      };
      byName.set(pseudoName, host);
      newHosts.push(host);
    }
    return host;
  };

  const jobs: BackupJobModel[] = [];
  const services: ServiceModel[] = [];
  (backup.jobs ?? []).forEach((spec, i) => {
    let host = spec.host === undefined ? undefined : byName.get(spec.host);
    if (spec.host !== undefined && host === undefined) {
      warn(
        ['jobs', i, 'host'],
        `host "${spec.host}" is not defined; the job's services go on the pseudo-host "${pseudoName}"`,
        'name a host of the deployment, or remove `host:`',
      );
    }
    host ??= pseudoHost();
    const source = sourceOf(spec);
    const timeZone = spec.timeZone ?? 'UTC';
    const runOn = spec.runOn ?? (source.kind === 'files' && spec.host !== undefined ? 'host' : 'steward');
    const job: BackupJobModel = {
      name: spec.name,
      repository: spec.repository,
      source,
      schedule: spec.schedule,
      timeZone,
      retention: {},
      runOn,
      host: host.name,
      serviceId: serviceId(host.name, `backup-${spec.name}`),
      drillServiceId: serviceId(host.name, `drill-${spec.name}`),
    };
    for (const [key, field] of [
      ['keepHourly', 'hourly'],
      ['keepDaily', 'daily'],
      ['keepWeekly', 'weekly'],
      ['keepMonthly', 'monthly'],
      ['keepYearly', 'yearly'],
    ] as const) {
      if (spec[key] !== undefined) job.retention[field] = spec[key];
    }
    if (spec.drillSchedule !== undefined) job.drillSchedule = spec.drillSchedule;
    if (spec.checkSchedule !== undefined) job.checkSchedule = spec.checkSchedule;
    if (spec.rpoTarget !== undefined) job.rpoTargetMs = parseDuration(spec.rpoTarget)!;
    if (spec.rtoTarget !== undefined) job.rtoTargetMs = parseDuration(spec.rtoTarget)!;
    if (Object.keys(job.retention).length === 0) {
      warn(
        ['jobs', i],
        'the job has no retention, so `steward backup forget` keeps every snapshot forever',
        'add e.g. keepDaily: 7, keepWeekly: 4, keepMonthly: 12',
      );
    }
    jobs.push(job);
    const labels = { backup_job: spec.name, backup_repository: spec.repository };
    services.push(
      passiveService(
        host,
        `backup-${spec.name}`,
        labels,
        freshnessFor(longestGap(parseCron(spec.schedule, timeZone), now)),
      ),
      passiveService(
        host,
        `drill-${spec.name}`,
        labels,
        spec.drillSchedule === undefined
          ? undefined
          : freshnessFor(longestGap(parseCron(spec.drillSchedule, timeZone), now)),
      ),
    );
  });

  const repositories = backup.repositories.map((r) => {
    const model: BackupModel['repositories'][number] = {
      name: r.name,
      kind: 'restic',
      repository: r.restic.repository,
    };
    if (r.restic.passwordEnv !== undefined) model.passwordEnv = r.restic.passwordEnv;
    if (r.restic.passwordFile !== undefined) model.passwordFile = r.restic.passwordFile;
    if (r.restic.options !== undefined) model.options = r.restic.options;
    if (r.restic.caCert !== undefined) model.caCert = r.restic.caCert;
    if (r.restic.limitUpload !== undefined) model.limitUploadKiB = r.restic.limitUpload;
    if (r.restic.limitDownload !== undefined) model.limitDownloadKiB = r.restic.limitDownload;
    return model;
  });
  return { backup: { host: pseudoName, repositories, jobs }, hosts: newHosts, services, warnings };
}

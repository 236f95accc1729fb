/**
 * Host-side backup jobs (runOn: host): a script and a systemd service + timer per job, for
 * `steward render host`. The script runs restic on the host, applies retention, and reports the
 * run to Steward's passive results API like any passive check. The repository password stays on
 * the host: in the file the spec names (passwordFile) or in /etc/steward/backup.env (passwordEnv),
 * never in the rendered files.
 */
import type { BackupJobModel, BackupRepositoryModel } from '../core/backup.ts';
import type { Deployment } from '../core/model.ts';
import { type CronSchedule, parseCron } from './cron.ts';
import { retentionArgs } from './maintenance.ts';

export interface RenderedFile {
  path: string;
  mode: number;
  content: string;
}

export interface HostBackupOptions {
  /** Steward's base URL as the host reaches it, e.g. https://monitor.internal:8443 */
  stewardUrl: string;
  /** File on the host holding an API token (steward token create), mode 0600. */
  tokenFile?: string;
  /** CA certificate to verify Steward's TLS certificate with. */
  caFile?: string;
  /** Where scripts go (default /usr/local/lib/steward). */
  scriptDir?: string;
  /** Where units go (default /etc/systemd/system). */
  unitDir?: string;
  /** Environment file with passwordEnv variables (default /etc/steward/backup.env). */
  envFile?: string;
}

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function list(values: Set<number>, full: number, pad: number): string {
  if (values.size === full) return '*';
  return [...values]
    .sort((a, b) => a - b)
    .map((v) => String(v).padStart(pad, '0'))
    .join(',');
}

/**
 * systemd OnCalendar= lines with the same times as a cron schedule. Cron fires when either day
 * field matches if both are restricted; systemd requires both, so that case becomes two lines.
 */
export function onCalendar(schedule: CronSchedule): string[] {
  const time = `${list(schedule.hours, 24, 2)}:${list(schedule.minutes, 60, 2)}:00`;
  const months = list(schedule.months, 12, 2);
  const zone = schedule.timeZone === 'UTC' ? ' UTC' : ` ${schedule.timeZone}`;
  const days = list(schedule.daysOfMonth, 31, 2);
  const weekdays = [...schedule.daysOfWeek]
    .sort((a, b) => a - b)
    .map((d) => DAY_NAMES[d])
    .join(',');
  const withDow = `${weekdays} *-${months}-* ${time}${zone}`;
  const withDom = `*-${months}-${days} ${time}${zone}`;
  if (schedule.domRestricted && schedule.dowRestricted) return [withDom, withDow];
  if (schedule.dowRestricted) return [withDow];
  return [withDom];
}

/** Single-quoted for bash. */
const q = (text: string) => `'${text.replaceAll("'", `'\\''`)}'`;

function passwordLines(repo: BackupRepositoryModel, envFile: string): string[] {
  if (repo.passwordFile !== undefined) return [`export RESTIC_PASSWORD_FILE=${q(repo.passwordFile)}`];
  const name = repo.passwordEnv!;
  return [
    `if [ -z "\${${name}:-}" ]; then echo "steward backup: ${name} is not set; put it in ${envFile} (mode 0600)" >&2; exit 2; fi`,
    `export RESTIC_PASSWORD="\${${name}}"`,
  ];
}

export function renderJobScript(
  job: BackupJobModel,
  repo: BackupRepositoryModel,
  options: HostBackupOptions,
): string {
  if (job.source.kind !== 'files') throw new Error(`job "${job.name}": only files jobs run on hosts`);
  const envFile = options.envFile ?? '/etc/steward/backup.env';
  const tokenFile = options.tokenFile ?? '/etc/steward/api-token';
  const slash = job.serviceId.indexOf('/');
  const limits = [
    ...Object.entries(repo.options ?? {}).flatMap(([k, v]) => ['-o', `${k}=${v}`]),
    ...(repo.caCert === undefined ? [] : ['--cacert', repo.caCert]),
    ...(repo.limitUploadKiB === undefined ? [] : ['--limit-upload', String(repo.limitUploadKiB)]),
    ...(repo.limitDownloadKiB === undefined ? [] : ['--limit-download', String(repo.limitDownloadKiB)]),
  ];
  const backupArgs = [
    ...limits,
    'backup',
    '--json',
    '--tag',
    'steward',
    '--tag',
    `job:${job.name}`,
    ...job.source.exclude.flatMap((e) => ['--exclude', e]),
    '--',
    ...job.source.paths,
  ];
  const retention = retentionArgs(job.retention);
  const curlTls = options.caFile === undefined ? '' : ` --cacert ${q(options.caFile)}`;
  return `#!/bin/bash
# Backup job "${job.name}" (rendered by steward render host; do not edit: change the spec and render again).
# Runs restic, applies retention, and reports the run to Steward as the passive result of ${job.serviceId}.
# The API token is read from ${tokenFile} (STEWARD_API_TOKEN_FILE overrides it).
set -uo pipefail
export RESTIC_REPOSITORY=${q(repo.repository)}
${passwordLines(repo, envFile).join('\n')}
err=$(mktemp)
trap 'rm -f "$err"' EXIT
started=$(date +%s.%N)
restic cat config >/dev/null 2>&1 || restic init >/dev/null 2>>"$err"
out=$(restic ${backupArgs.map(q).join(' ')} 2>>"$err")
rc=$?
summary=$(printf '%s\\n' "$out" | grep '"message_type":"summary"' | tail -n 1)
field() { printf '%s' "$summary" | sed -n "s/.*\\"$1\\":\\([0-9.]*\\).*/\\1/p"; }
snapshot=$(printf '%s' "$summary" | sed -n 's/.*"snapshot_id":"\\([0-9a-f]*\\)".*/\\1/p')
${retention.length === 0 ? '' : `if [ "$rc" = 0 ]; then restic ${[...limits, 'forget', '--tag', `steward,job:${job.name}`, '--group-by', 'tags', ...retention, '--prune'].map(q).join(' ')} >/dev/null 2>>"$err" || rc=1; fi\n`}duration=$(awk -v s="$started" -v e="$(date +%s.%N)" 'BEGIN { printf "%.3f", e - s }')
case "$rc" in
  0) state=0; output="backup ${job.name} OK: snapshot \${snapshot:0:8}" ;;
  3) state=1; output="backup ${job.name} incomplete: some files could not be read" ;;
  *) state=2; output="backup ${job.name} FAILED (restic exit $rc)" ;;
esac
detail=$(tail -c 1500 "$err" | tr -d '"\\\\' | tr '\\n\\t\\r' '   ')
perf="'duration'=\${duration}s"
[ -n "$(field total_bytes_processed)" ] && perf="$perf 'size'=$(field total_bytes_processed)B 'files'=$(field total_files_processed) 'added'=$(field data_added)B"
[ "$state" = 0 ] && perf="$perf 'snapshot_age'=0s"
body=$(printf '{"host":"%s","service":"%s","state":"%s","output":"%s","longOutput":"%s","perfdata":"%s"}' ${q(job.serviceId.slice(0, slash))} ${q(job.serviceId.slice(slash + 1))} "$state" "$output" "$detail" "$perf")
if ! curl -sS --fail --max-time 30${curlTls} -H "Authorization: Bearer $(cat "\${STEWARD_API_TOKEN_FILE:-${tokenFile}}")" -H 'content-type: application/json' -d "$body" ${q(`${options.stewardUrl.replace(/\/$/, '')}/api/v1/results`)} >/dev/null; then
  echo "steward backup: could not report the result to Steward; the service will go stale and alert" >&2
fi
echo "$output"
exit "$rc"
`;
}

/** The files `steward render host` writes for the host's backup jobs (none when it has none). */
export function renderHostBackupJobs(
  deployment: Deployment,
  host: string,
  options: HostBackupOptions,
): RenderedFile[] {
  const backup = deployment.backup;
  if (backup === undefined) return [];
  const scriptDir = options.scriptDir ?? '/usr/local/lib/steward';
  const unitDir = options.unitDir ?? '/etc/systemd/system';
  const envFile = options.envFile ?? '/etc/steward/backup.env';
  const files: RenderedFile[] = [];
  for (const job of backup.jobs) {
    if (job.runOn !== 'host' || job.host !== host) continue;
    const repo = backup.repositories.find((r) => r.name === job.repository)!;
    const script = `${scriptDir}/backup-${job.name}.sh`;
    const unit = `steward-backup-${job.name}`;
    files.push({ path: script, mode: 0o750, content: renderJobScript(job, repo, options) });
    files.push({
      path: `${unitDir}/${unit}.service`,
      mode: 0o644,
      content: `[Unit]
Description=Steward backup job ${job.name}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
EnvironmentFile=-${envFile}
ExecStart=${script}
Nice=10
IOSchedulingClass=idle
PrivateTmp=true
`,
    });
    files.push({
      path: `${unitDir}/${unit}.timer`,
      mode: 0o644,
      content: `[Unit]
Description=Steward backup job ${job.name} (${job.schedule} ${job.timeZone})

[Timer]
${onCalendar(parseCron(job.schedule, job.timeZone))
  .map((c) => `OnCalendar=${c}`)
  .join('\n')}
Persistent=true
Unit=${unit}.service

[Install]
WantedBy=timers.target
`,
    });
  }
  return files;
}

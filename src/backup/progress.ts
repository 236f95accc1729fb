/**
 * Progress of a long backup operation, as restic reports it (`--json` status lines) or as
 * Steward counts it (bytes of a dump streamed into a database), and the one line the CLI shows.
 */

export interface BackupProgress {
  job: string;
  /** backup, restore, verify ... */
  phase: string;
  percent?: number;
  filesDone?: number;
  totalFiles?: number;
  bytesDone?: number;
  totalBytes?: number;
  secondsElapsed?: number;
  secondsRemaining?: number;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** A restic `"message_type":"status"` line (backup; restore since restic 0.16) as progress. */
export function progressFromStatus(job: string, phase: string, m: Record<string, unknown>): BackupProgress {
  const p: BackupProgress = { job, phase };
  const percent = num(m.percent_done);
  if (percent !== undefined) p.percent = percent * 100;
  const set = <K extends keyof BackupProgress>(key: K, value: BackupProgress[K] | undefined) => {
    if (value !== undefined) p[key] = value;
  };
  set('filesDone', num(m.files_done) ?? num(m.files_restored));
  set('totalFiles', num(m.total_files));
  set('bytesDone', num(m.bytes_done) ?? num(m.bytes_restored));
  set('totalBytes', num(m.total_bytes));
  set('secondsElapsed', num(m.seconds_elapsed));
  set('secondsRemaining', num(m.seconds_remaining));
  return p;
}

function size(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
  return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

function clock(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s % 60)}` : `${m}:${pad(s % 60)}`;
}

/** One line, leaving out what is not known (a streamed dump has no total). */
export function describeProgress(p: BackupProgress): string {
  const parts = [`${p.job}: ${p.phase}`];
  if (p.percent !== undefined && p.totalBytes !== undefined && p.totalBytes > 0)
    parts.push(`${p.percent.toFixed(1)}%`);
  if (p.totalBytes !== undefined && p.totalBytes > 0)
    parts.push(`${size(p.bytesDone ?? 0)} of ${size(p.totalBytes)}`);
  else if (p.bytesDone !== undefined) parts.push(size(p.bytesDone));
  if (p.totalFiles !== undefined && p.totalFiles > 0) parts.push(`${p.filesDone ?? 0}/${p.totalFiles} files`);
  if (p.secondsElapsed !== undefined) parts.push(`${clock(p.secondsElapsed)} elapsed`);
  if (p.secondsRemaining !== undefined && p.secondsRemaining > 0)
    parts.push(`~${clock(p.secondsRemaining)} left`);
  return parts.join(' ');
}

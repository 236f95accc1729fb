/**
 * Backup and restore throughput: Steward's `backup run` / `restore` path (job context, locks,
 * restic with --json parsing, history) against plain restic on the same data, each into a fresh
 * repository. Steward's overhead should be negligible: restic does the work in both.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobContext, restoreSnapshot, runBackup } from '../src/backup/index.ts';
import type { BackupModel } from '../src/core/backup.ts';

export interface BackupBenchResult {
  size_mib: number;
  restic: { backup_mib_s: number; restore_mib_s: number };
  steward: { backup_mib_s: number; restore_mib_s: number };
  /** Steward time / restic time (1.0 = no overhead). */
  ratios: { backup: number; restore: number };
}

const PASSWORD = 'bench-password-not-secret';

function timed(work: () => void): number {
  const start = performance.now();
  work();
  return (performance.now() - start) / 1000;
}

async function timedAsync(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return (performance.now() - start) / 1000;
}

export async function benchBackup(options: {
  sizeMiB: number;
  log: (msg: string) => void;
}): Promise<BackupBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-backup-bench-'));
  try {
    const data = join(dir, 'data');
    mkdirSync(data);
    // 4 MiB files of random (incompressible, undeduplicable) bytes, like keystores and archives.
    const files = Math.max(1, Math.round(options.sizeMiB / 4));
    for (let i = 0; i < files; i++) writeFileSync(join(data, `f${i}.bin`), randomBytes(4 * 1024 * 1024));
    const mib = files * 4;
    const env = { ...process.env, RESTIC_PASSWORD: PASSWORD };

    options.log(`backup: plain restic, ${mib} MiB`);
    const plainRepo = join(dir, 'plain');
    execFileSync('restic', ['-r', plainRepo, 'init', '-q'], { env });
    const resticBackup = timed(() =>
      execFileSync('restic', ['-r', plainRepo, 'backup', '-q', data], { env }),
    );
    const resticRestore = timed(() =>
      execFileSync(
        'restic',
        ['-r', plainRepo, 'restore', 'latest', '--target', join(dir, 'plain-out'), '--verify', '-q'],
        { env },
      ),
    );

    options.log(`backup: steward, ${mib} MiB`);
    const backup: BackupModel = {
      host: 'backup',
      repositories: [
        {
          name: 'bench',
          kind: 'restic',
          repository: join(dir, 'steward'),
          passwordEnv: 'BENCH_RESTIC_PASSWORD',
        },
      ],
      jobs: [
        {
          name: 'bench',
          repository: 'bench',
          source: { kind: 'files', paths: [data], exclude: [] },
          schedule: '@daily',
          timeZone: 'UTC',
          retention: {},
          runOn: 'steward',
          host: 'backup',
          serviceId: 'backup/backup-bench',
          drillServiceId: 'backup/drill-bench',
        },
      ],
    };
    const ctx = jobContext(backup, 'bench', {
      dataDir: join(dir, 'steward-data'),
      env: { ...process.env, BENCH_RESTIC_PASSWORD: PASSWORD },
    });
    // Steward initialises the repository itself on first use: do it first, outside the timing, as above.
    execFileSync('restic', ['-r', join(dir, 'steward'), 'init', '-q'], { env });
    let ok = true;
    const stewardBackup = await timedAsync(async () => {
      ok = (await runBackup(ctx)).ok;
    });
    if (!ok) throw new Error('steward backup failed during the bench');
    const stewardRestore = await timedAsync(() => restoreSnapshot(ctx, 'latest', join(dir, 'steward-out')));

    const rate = (s: number) => Math.round((mib / s) * 10) / 10;
    const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
    return {
      size_mib: mib,
      restic: { backup_mib_s: rate(resticBackup), restore_mib_s: rate(resticRestore) },
      steward: { backup_mib_s: rate(stewardBackup), restore_mib_s: rate(stewardRestore) },
      ratios: { backup: ratio(stewardBackup, resticBackup), restore: ratio(stewardRestore, resticRestore) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Inside `steward serve`: runs the jobs Steward owns (runOn: steward) on their cron schedules —
 * backups (followed by retention), drills and repository checks — one task at a time, and hands
 * every outcome to the engine as the check result of the job's passive service.
 */
import type { BackupJobModel, BackupModel } from '../core/backup.ts';
import type { CheckResult } from '../core/result.ts';
import type { Logger } from '../log/index.ts';
import { drillResult, runResult } from './check-results.ts';
import { nextRun, parseCron } from './cron.ts';
import { runDrill } from './drill.ts';
import { jobContext } from './job-context.ts';
import { checkRepository, forgetSnapshots } from './maintenance.ts';
import { runBackup } from './run-backup.ts';

export type BackupTaskKind = 'backup' | 'drill' | 'check';

interface Task {
  job: BackupJobModel;
  kind: BackupTaskKind;
  schedule: string;
  next: number | null;
}

export interface BackupSchedulerOptions {
  backup: BackupModel | undefined;
  dataDir: string;
  log: Logger;
  /** Where results go: the engine's submitResult for the service id. */
  submit: (serviceId: string, result: CheckResult) => void;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
}

/** Longest sleep between looks at the clock, so a suspended machine or clock step is noticed. */
const MAX_SLEEP_MS = 60_000;

export class BackupScheduler {
  #options: BackupSchedulerOptions;
  #backup: BackupModel | undefined;
  #tasks: Task[] = [];
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> = Promise.resolve();
  #stopped = false;
  #abort = new AbortController();

  constructor(options: BackupSchedulerOptions) {
    this.#options = options;
    this.#backup = options.backup;
    this.#plan();
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }

  #plan(): void {
    const now = this.#now();
    this.#tasks = [];
    for (const job of this.#backup?.jobs ?? []) {
      if (job.runOn !== 'steward') continue;
      const add = (kind: BackupTaskKind, schedule: string | undefined) => {
        if (schedule === undefined) return;
        this.#tasks.push({ job, kind, schedule, next: nextRun(parseCron(schedule, job.timeZone), now) });
      };
      add('backup', job.schedule);
      add('drill', job.drillSchedule);
      add('check', job.checkSchedule);
    }
  }

  /** When each task runs next (for logs and tests). */
  plan(): { job: string; kind: BackupTaskKind; next: number | null }[] {
    return this.#tasks.map((t) => ({ job: t.job.name, kind: t.kind, next: t.next }));
  }

  start(): void {
    this.#stopped = false;
    this.#abort = new AbortController();
    this.#arm();
    this.#options.log.info({ tasks: this.#tasks.length }, 'backup scheduler started');
  }

  #arm(): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    const nexts = this.#tasks.map((t) => t.next).filter((n): n is number => n !== null);
    if (nexts.length === 0) return;
    const wait = Math.max(0, Math.min(Math.min(...nexts) - this.#now(), MAX_SLEEP_MS));
    this.#timer = setTimeout(() => {
      this.#running = this.#running.then(() => this.runDue()).finally(() => this.#arm());
    }, wait);
    this.#timer.unref();
  }

  /** Runs every task that is due, one after another; each is then planned for its next time. */
  async runDue(): Promise<void> {
    for (const task of this.#tasks) {
      if (this.#stopped) return;
      if (task.next === null || task.next > this.#now()) continue;
      await this.runTask(task.job, task.kind);
      task.next = nextRun(parseCron(task.schedule, task.job.timeZone), this.#now());
    }
  }

  /** Runs one task now and submits its result; never throws. */
  async runTask(job: BackupJobModel, kind: BackupTaskKind): Promise<void> {
    const { log, dataDir } = this.#options;
    // A task cut short because Steward is stopping is not a failed backup: nothing is reported.
    const submit = (id: string, result: CheckResult) => {
      if (!this.#stopped) this.#options.submit(id, result);
    };
    try {
      const ctx = jobContext(this.#backup, job.name, {
        dataDir,
        log,
        signal: this.#abort.signal,
        ...(this.#options.env ? { env: this.#options.env } : {}),
      });
      if (kind === 'backup') {
        const report = await runBackup(ctx);
        submit(job.serviceId, runResult(report));
        if (report.ok && Object.keys(job.retention).length > 0) {
          const forgotten = await forgetSnapshots(ctx);
          log.info(
            { job: job.name, kept: forgotten.kept.length, removed: forgotten.removed.length },
            'backup retention applied',
          );
        }
      } else if (kind === 'drill') {
        submit(job.drillServiceId, drillResult(await runDrill(ctx), job));
      } else {
        const check = await checkRepository(ctx);
        // A damaged repository means restores will fail: it is the drill service that alerts.
        if (!check.ok) {
          const now = this.#now();
          submit(job.drillServiceId, {
            state: 2,
            output: `repository ${job.repository} is DAMAGED (restic check failed)`,
            longOutput: check.error ?? '',
            perfdata: [],
            startedAt: now - check.durationMs,
            finishedAt: now,
          });
        }
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      log.error({ job: job.name, kind, error: message }, 'backup task failed');
      const now = this.#now();
      submit(kind === 'backup' ? job.serviceId : job.drillServiceId, {
        state: 2,
        output: `${kind} ${job.name} could not run`,
        longOutput: message,
        perfdata: [],
        startedAt: now,
        finishedAt: now,
      });
    }
  }

  reload(backup: BackupModel | undefined): void {
    this.#backup = backup;
    this.#plan();
    this.#arm();
  }

  /** Stops planning, stops a task in progress (restic gets SIGINT) and waits for it. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#abort.abort();
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }
}

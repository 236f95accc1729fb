import { resolve } from 'node:path';
import {
  type BackupProgress,
  checkRepository,
  describeDrill,
  describeProgress,
  drillResult,
  forgetSnapshots,
  jobContext,
  jobTagFilter,
  listSnapshots,
  restoreSnapshot,
  runBackup,
  runDrill,
  runResult,
} from '../backup/index.ts';
import type { CheckResult } from '../core/result.ts';
import { formatSpecError, loadSpec } from '../spec/index.ts';
import { DEFAULT_DATA_DIR, DEFAULT_SPEC, parseCommandArgs } from './args.ts';

const HELP = `Usage: steward backup <command> JOB [options]

  run JOB                       back up now (initialises an empty repository on first use)
  snapshots JOB [--json]        list the job's snapshots (JSON: array of {id, time, ...})
  restore JOB --snapshot ID|latest --to DIR|DATABASE
                                files into a new/empty directory; a database dump into a new/empty database
  forget JOB [--no-prune]       apply the job's retention (keepDaily ...), then prune
  check JOB [--subset 10%]      restic check, reading all data (or a subset)
  drill JOB                     restore the newest snapshot to scratch space, verify it, print RPO and RTO
  runbook --out FILE            write the disaster-recovery runbook (spec + last drill figures)

Options:
  --spec FILE     the deployment spec (default ${DEFAULT_SPEC})
  --data DIR      where locks and backup history are kept (default ./${DEFAULT_DATA_DIR})
  --report URL    also submit the result to a running steward (passive result, token in $STEWARD_TOKEN)

Repository passwords come from the variable or file the spec names (passwordEnv / passwordFile).
`;

/**
 * Progress on stderr: one line rewritten in place on a terminal (at most 5 times a second);
 * elsewhere (logs, journald) a line when a phase starts, at each quarter done and every 5 seconds.
 */
function progressPrinter(): { onProgress: (p: BackupProgress) => void; finish: () => void } {
  const tty = process.stderr.isTTY === true;
  let lastLine = 0;
  let lastPhase = '';
  let lastQuarter = -1;
  const onProgress = (p: BackupProgress) => {
    const now = Date.now();
    const newPhase = p.phase !== lastPhase;
    const quarter = p.percent === undefined ? -1 : Math.floor(p.percent / 25);
    const milestone = !tty && quarter > lastQuarter;
    if (!newPhase && !milestone && now - lastLine < (tty ? 200 : 5000)) return;
    lastLine = now;
    lastPhase = p.phase;
    lastQuarter = newPhase ? quarter : Math.max(quarter, lastQuarter);
    const text = describeProgress(p);
    process.stderr.write(tty ? `\r${text}\x1b[K` : `${text}\n`);
  };
  // The in-place line ends before the result is printed.
  const finish = () => {
    if (tty && lastLine > 0) process.stderr.write('\n');
    lastLine = 0;
  };
  return { onProgress, finish };
}

async function report(url: string | undefined, serviceId: string, result: CheckResult): Promise<void> {
  if (url === undefined) return;
  const token = process.env.STEWARD_TOKEN;
  if (!token) throw new Error('--report needs an API token in $STEWARD_TOKEN (steward token create)');
  const slash = serviceId.indexOf('/');
  const perfdata = result.perfdata
    .map((p) => `'${p.label}'=${p.value}${p.uom}${p.crit === undefined ? '' : `;;${p.crit}`}`)
    .join(' ');
  const response = await fetch(new URL('/api/v1/results', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      host: serviceId.slice(0, slash),
      service: serviceId.slice(slash + 1),
      state: String(result.state),
      output: result.output,
      longOutput: result.longOutput,
      perfdata,
    }),
  });
  if (response.status !== 202)
    throw new Error(
      `submitting the result to ${url} failed: HTTP ${response.status} ${await response.text()}`,
    );
}

export async function backupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('backup', args, {
    spec: { type: 'string', default: DEFAULT_SPEC },
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    json: { type: 'boolean' },
    snapshot: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
    subset: { type: 'string' },
    'no-prune': { type: 'boolean' },
    report: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const [command, jobName] = positionals;
  if (values.help || command === undefined) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  const loaded = loadSpec(resolve(values.spec));
  if (!loaded.ok) {
    for (const e of loaded.errors) process.stderr.write(`${formatSpecError(e)}\n`);
    process.stderr.write(
      `steward backup: the spec has ${loaded.errors.length} error(s); fix them first (steward validate ${values.spec})\n`,
    );
    return 1;
  }
  const dataDir = resolve(values.data);
  const backup = loaded.deployment.backup;
  if (command === 'runbook') {
    const { writeRunbook } = await import('../backup/runbook.ts');
    const out = resolve(values.out ?? 'docs/disaster-recovery.md');
    // The spec as the operator named it: a committed runbook names no path of the machine that wrote it.
    const [, ...included] = loaded.deployment.files;
    writeRunbook({ ...loaded.deployment, files: [values.spec, ...included] }, dataDir, out);
    process.stdout.write(`wrote ${out}\n`);
    return 0;
  }
  if (!['run', 'snapshots', 'restore', 'forget', 'check', 'drill'].includes(command)) {
    process.stderr.write(`steward backup: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  if (jobName === undefined) {
    process.stderr.write(
      `steward backup ${command}: name the job, e.g. steward backup ${command} ${backup?.jobs[0]?.name ?? 'JOB'}\n`,
    );
    return 2;
  }
  const progress = progressPrinter();
  const ctx = jobContext(backup, jobName, { dataDir, onProgress: progress.onProgress });
  const job = ctx.job;
  switch (command) {
    case 'run': {
      const r = await runBackup(ctx);
      progress.finish();
      const result = runResult(r);
      process.stdout.write(`${result.output}\n`);
      if (r.ok || r.partial)
        process.stdout.write(
          `files ${r.totalFiles ?? 0} (new ${r.filesNew ?? 0}, changed ${r.filesChanged ?? 0}), ${r.totalBytes ?? 0} bytes, ${r.dataAdded ?? 0} added${r.rows === undefined ? '' : `, ${r.tables} tables, ${r.rows} rows`}\n`,
        );
      if (r.error) process.stderr.write(`steward backup run: ${r.error}\n`);
      await report(values.report, job.serviceId, result);
      return r.ok ? 0 : 1;
    }
    case 'snapshots': {
      const snapshots = await listSnapshots(ctx.target, jobTagFilter(job));
      if (values.json) {
        process.stdout.write(
          `${JSON.stringify(
            snapshots.map((s) => ({
              id: s.id,
              shortId: s.short_id,
              time: s.time,
              hostname: s.hostname,
              paths: s.paths,
              tags: s.tags ?? [],
            })),
            null,
            2,
          )}\n`,
        );
      } else {
        for (const s of snapshots)
          process.stdout.write(`${s.short_id}  ${s.time}  ${s.hostname}  ${s.paths.join(' ')}\n`);
        process.stdout.write(
          `${snapshots.length} snapshot(s) of ${job.name} in repository ${job.repository}\n`,
        );
      }
      return 0;
    }
    case 'restore': {
      if (values.snapshot === undefined || values.to === undefined) {
        process.stderr.write(
          'steward backup restore: give --snapshot ID (or latest) and --to DIR (files) or DATABASE (databases)\n',
        );
        return 2;
      }
      const to = job.source.kind === 'files' ? resolve(values.to) : values.to;
      const r = await restoreSnapshot(ctx, values.snapshot, to).finally(progress.finish);
      process.stdout.write(
        `restored snapshot ${r.snapshot.short_id} (${r.snapshot.time}) of ${job.name} to ${to} in ${(r.durationMs / 1000).toFixed(1)}s\n`,
      );
      return 0;
    }
    case 'forget': {
      const r = await forgetSnapshots(ctx, { prune: !values['no-prune'] });
      process.stdout.write(
        `kept ${r.kept.length}, removed ${r.removed.length} snapshot(s) of ${job.name}${values['no-prune'] ? '' : '; repository pruned'}\n`,
      );
      return 0;
    }
    case 'check': {
      const r = await checkRepository(
        ctx,
        values.subset === undefined ? {} : { readDataSubset: values.subset },
      );
      if (r.ok)
        process.stdout.write(
          `repository ${job.repository} OK (checked in ${(r.durationMs / 1000).toFixed(1)}s)\n`,
        );
      else
        process.stderr.write(`steward backup check: repository ${job.repository} is DAMAGED: ${r.error}\n`);
      return r.ok ? 0 : 1;
    }
    case 'drill': {
      const r = await runDrill(ctx);
      progress.finish();
      const result = drillResult(r, job);
      process.stdout.write(`${result.output}\n`);
      for (const line of describeDrill(r, job)) process.stdout.write(`${line}\n`);
      for (const p of r.problems) process.stderr.write(`  ${p}\n`);
      await report(values.report, job.drillServiceId, result);
      return r.ok ? 0 : 1;
    }
  }
  return 2;
}

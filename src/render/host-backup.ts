/**
 * The host's own backup jobs in `steward render host`: files jobs that run on the host
 * (`runOn: host`, the default for a files job with a `host:`) get their script and systemd
 * service + timer (src/backup/render-host-job.ts), reporting each run to Steward's passive
 * results API. They are copied as they are (not filled in by install.sh): the repository password
 * and any ${NAME} the job's settings refer to are read when the job runs, from the service's
 * EnvironmentFile, so no secret is ever written to the host's disk by Steward.
 */
import path from 'node:path';
import { renderHostBackupJobs } from '../backup/index.ts';
import type { Deployment } from '../core/model.ts';
import type { RenderedFile } from './render-host.ts';
import { restoreReferences, runtimeReferences } from './secret-references.ts';

/** Where the rendered job files go on the host. */
export const BACKUP_SCRIPT_DIR = '/usr/local/lib/steward';
export const BACKUP_UNIT_DIR = '/etc/systemd/system';
export const BACKUP_ENV_FILE = '/etc/steward/backup.env';
export const API_TOKEN_FILE = '/etc/steward/api-token';

export interface HostBackup {
  /** Files for --out (under backup/). */
  files: RenderedFile[];
  /** What install.sh copies verbatim, and where. */
  copies: { path: string; installTo: string; mode: string }[];
  /** Timers install.sh enables. */
  timers: string[];
  /** Variables the jobs read from the EnvironmentFile when they run. */
  runtimeVariables: string[];
  /** Files the jobs read when they run, which the operator provides. */
  needs: { file: string; what: string }[];
}

export function hostBackup(
  deployment: Deployment,
  host: string,
  options: { stewardUrl: string; caFile?: string },
): HostBackup {
  const rendered = renderHostBackupJobs(deployment, host, {
    stewardUrl: options.stewardUrl,
    tokenFile: API_TOKEN_FILE,
    scriptDir: BACKUP_SCRIPT_DIR,
    unitDir: BACKUP_UNIT_DIR,
    envFile: BACKUP_ENV_FILE,
    ...(options.caFile !== undefined ? { caFile: options.caFile } : {}),
  });
  const names = new Set<string>();
  const result: HostBackup = { files: [], copies: [], timers: [], runtimeVariables: [], needs: [] };
  for (const file of rendered) {
    const name = path.basename(file.path);
    const isScript = file.path.endsWith('.sh');
    let content: string;
    if (isScript) {
      content = runtimeReferences(file.content, names);
    } else {
      const found = new Set<string>();
      content = restoreReferences(file.content, found);
      if (found.size > 0)
        throw new Error(
          `backup job unit ${name} of ${host} would hold \${${[...found][0]}}: keep environment references out of job names and schedules`,
        );
    }
    result.files.push({ path: `backup/${name}`, content, mode: file.mode, installTo: file.path });
    result.copies.push({
      path: `backup/${name}`,
      installTo: file.path,
      mode: isScript ? '0750' : '0644',
    });
    if (name.endsWith('.timer')) result.timers.push(name);
  }
  const passwordFiles = new Set<string>();
  for (const job of deployment.backup?.jobs ?? []) {
    if (job.runOn !== 'host' || job.host !== host) continue;
    const repo = deployment.backup!.repositories.find((r) => r.name === job.repository);
    if (repo?.passwordEnv !== undefined) names.add(repo.passwordEnv);
    if (repo?.passwordFile !== undefined) passwordFiles.add(repo.passwordFile);
  }
  result.runtimeVariables = [...names].sort();
  if (names.size > 0)
    result.needs.push({
      file: BACKUP_ENV_FILE,
      what: `${result.runtimeVariables.join(', ')} (NAME=value lines)`,
    });
  for (const file of passwordFiles) result.needs.push({ file, what: 'the repository password' });
  result.needs.push({ file: API_TOKEN_FILE, what: 'an API token of steward serve (steward token create)' });
  return result;
}

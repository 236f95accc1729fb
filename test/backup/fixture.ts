/** A temporary spec with a local restic repository, and the CLI run against it. */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STEWARD, steward, tempDir } from '../helpers/steward-server.ts';

export const PASSWORD_ENV = 'STEWARD_TEST_RESTIC_PASSWORD';
export const PASSWORD = 'correct horse battery staple';

export interface BackupFixture {
  dir: string;
  spec: string;
  data: string;
  repo: string;
  /** Runs `steward backup ARGS --spec … --data …` with the repository password set. */
  backup: (args: string[], env?: NodeJS.ProcessEnv) => { code: number; stdout: string; stderr: string };
  /** The same without blocking the event loop, for peers running in the test process (s3rver). */
  backupAsync: (
    args: string[],
    env?: NodeJS.ProcessEnv,
  ) => Promise<{ code: number; stdout: string; stderr: string }>;
}

export function backupFixture(
  jobs: string,
  options: { repository?: string; extraTop?: string } = {},
): BackupFixture {
  const dir = tempDir('steward-backup-');
  const repo = options.repository ?? join(dir, 'repo');
  const spec = join(dir, 'steward.yaml');
  const data = join(dir, 'data');
  mkdirSync(data);
  writeFileSync(
    spec,
    `deployment: acme
operatorNetworks: [203.0.113.0/24]
environments:
  - name: prod
    hosts:
      - name: db-1
        address: 127.0.0.1
${options.extraTop ?? ''}backup:
  repositories:
    - name: local
      restic: { repository: '${repo}', passwordEnv: ${PASSWORD_ENV} }
  jobs:
${jobs}`,
  );
  return {
    dir,
    spec,
    data,
    repo,
    backup: (args, env = {}) =>
      steward(['backup', ...args, '--spec', spec, '--data', data], {
        env: { [PASSWORD_ENV]: PASSWORD, ...env },
      }),
    backupAsync: (args, env = {}) =>
      new Promise((resolve) => {
        const child = spawn(process.execPath, [STEWARD, 'backup', ...args, '--spec', spec, '--data', data], {
          env: { ...process.env, [PASSWORD_ENV]: PASSWORD, ...env },
        });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (c) => {
          stdout += c;
        });
        child.stderr.on('data', (c) => {
          stderr += c;
        });
        child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
      }),
  };
}

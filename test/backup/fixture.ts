/** A temporary spec with a local restic repository, and the CLI run against it. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { steward, tempDir } from '../helpers/steward-server.ts';

export const PASSWORD_ENV = 'STEWARD_TEST_RESTIC_PASSWORD';
export const PASSWORD = 'correct horse battery staple';

export interface BackupFixture {
  dir: string;
  spec: string;
  data: string;
  repo: string;
  /** Runs `steward backup ARGS --spec … --data …` with the repository password set. */
  backup: (args: string[], env?: NodeJS.ProcessEnv) => { code: number; stdout: string; stderr: string };
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
  };
}

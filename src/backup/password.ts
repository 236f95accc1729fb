import { readFileSync } from 'node:fs';
import type { BackupRepositoryModel } from '../core/backup.ts';
import type { ResticTarget } from './restic.ts';

/**
 * The repository's password from the environment variable or file the spec names. The spec never
 * holds the password itself, and no message here ever contains it.
 */
export function repositoryPassword(
  repo: BackupRepositoryModel,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (repo.passwordEnv !== undefined) {
    const value = env[repo.passwordEnv];
    if (value === undefined || value === '')
      throw new Error(
        `repository "${repo.name}": the environment variable ${repo.passwordEnv} (passwordEnv) is not set; export the repository password in it before running steward`,
      );
    return value;
  }
  if (repo.passwordFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(repo.passwordFile, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? 'error';
      throw new Error(
        `repository "${repo.name}": cannot read passwordFile ${repo.passwordFile} (${code}); create it (mode 0600) with the password on one line`,
      );
    }
    const password = text.replace(/\r?\n$/, '');
    if (password === '')
      throw new Error(`repository "${repo.name}": passwordFile ${repo.passwordFile} is empty`);
    return password;
  }
  throw new Error(`repository "${repo.name}" has neither passwordEnv nor passwordFile`);
}

export function resticTarget(
  repo: BackupRepositoryModel,
  env: NodeJS.ProcessEnv = process.env,
): ResticTarget {
  const target: ResticTarget = {
    name: repo.name,
    repository: repo.repository,
    password: repositoryPassword(repo, env),
  };
  if (repo.options !== undefined) target.options = repo.options;
  if (repo.caCert !== undefined) target.caCert = repo.caCert;
  if (repo.limitUploadKiB !== undefined) target.limitUploadKiB = repo.limitUploadKiB;
  if (repo.limitDownloadKiB !== undefined) target.limitDownloadKiB = repo.limitDownloadKiB;
  return target;
}

/**
 * How a database client (pg_dump, psql, mariadb-dump, mariadb ...) ended: resolves when it exits
 * 0, rejects with its last stderr lines otherwise, and says which package to install when the
 * program is missing.
 */
import type { ChildProcess } from 'node:child_process';

export function exited(child: ChildProcess, what: string, installHint: string): Promise<void> {
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString('utf8')).slice(-8000);
  });
  return new Promise((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        new Error(
          err.code === 'ENOENT' ? `${what}: not installed (${installHint})` : `${what}: ${err.message}`,
        ),
      ),
    );
    child.on('close', (code, signal) => {
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `${what} failed (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
          ),
        );
    });
  });
}

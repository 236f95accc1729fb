/**
 * A throwaway MariaDB server for a test: mariadb-install-db into a temp directory, mariadbd on a
 * free loopback port (as root: --user=root), stopped with SIGTERM and a bounded wait.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../helpers/steward-server.ts';

const MARIADBD = '/usr/sbin/mariadbd';

export interface MariadbServer {
  port: number;
  /** Runs SQL as root over the socket; returns tab-separated rows without headers. */
  sql(database: string, statement: string): string;
  stop(): Promise<void>;
}

export async function startMariadb(): Promise<MariadbServer> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-mariadb-'));
  const data = join(dir, 'data');
  const socket = join(dir, 'mysqld.sock');
  execFileSync(
    'mariadb-install-db',
    [
      '--no-defaults',
      `--datadir=${data}`,
      '--auth-root-authentication-method=normal',
      '--user=root',
      '--skip-test-db',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    MARIADBD,
    [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--user=root',
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=16M',
      '--innodb-log-file-size=8M',
      '--innodb-flush-log-at-trx-commit=0',
      `--pid-file=${join(dir, 'mariadbd.pid')}`,
      `--log-error=${join(dir, 'error.log')}`,
    ],
    { stdio: 'ignore' },
  );
  const sql = (database: string, statement: string) =>
    execFileSync(
      'mariadb',
      [
        '--no-defaults',
        `--socket=${socket}`,
        '-uroot',
        '--batch',
        '--skip-column-names',
        '-e',
        statement,
        database,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      sql('mysql', 'SELECT 1');
      break;
    } catch (err) {
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
        throw new Error(`mariadbd did not start: ${(err as Error).message}`);
      }
      await sleep(200);
    }
  }
  return {
    port,
    sql,
    stop: async () => {
      try {
        if (child.exitCode === null) {
          const gone = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          const stopped = await Promise.race([gone.then(() => true), sleep(30_000, false, { ref: false })]);
          if (!stopped) {
            child.kill('SIGKILL');
            await gone;
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

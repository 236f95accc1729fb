/**
 * A throwaway PostgreSQL cluster for a test: initdb in a temp directory, started with pg_ctl on a
 * free loopback port (as the postgres user when the test runs as root), trust authentication.
 */
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../helpers/steward-server.ts';

const BIN = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].find(
  (d) => existsSync(join(d, 'initdb')),
);

export interface PostgresCluster {
  port: number;
  /** Runs SQL (psql -c) as the postgres superuser; returns unaligned output. */
  sql(database: string, statement: string): string;
  stop(): void;
}

function uid(name: string): { uid: number; gid: number } {
  const [u, g] = execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim().split('\n');
  return { uid: Number(u), gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim() || g) };
}

export async function startPostgres(): Promise<PostgresCluster> {
  if (BIN === undefined) throw new Error('PostgreSQL server binaries not found: apt-get install postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'steward-pg-'));
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot
      ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (asRoot) {
    const owner = uid('postgres');
    chownSync(dir, owner.uid, owner.gid);
  }
  const data = join(dir, 'data');
  run(join(BIN, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '-N']);
  const port = await freePort();
  run(join(BIN, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    join(dir, 'log'),
    '-w',
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
    'start',
  ]);
  return {
    port,
    sql: (database, statement) =>
      execFileSync(
        'psql',
        [
          '-X',
          '-q',
          '-A',
          '-t',
          '-v',
          'ON_ERROR_STOP=1',
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-d',
          database,
          '-c',
          statement,
        ],
        {
          encoding: 'utf8',
        },
      ),
    stop: () => {
      try {
        run(join(BIN, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * PostgreSQL through its own clients: pg_dump streams a plain SQL dump (UTF-8, ISO dates) and
 * psql loads one or reads a table back in the same text format, so the drill can compare row
 * figures with those taken while the dump streamed. Connection settings go through PG* variables.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import type { Readable } from 'node:stream';
import type { DatabaseSource } from '../core/backup.ts';
import { exited as clientExited } from './child-exit.ts';
import { LineSplitter, RowHasher, type TableFigures } from './dump-manifest.ts';

const exited = (child: ChildProcess, what: string) =>
  clientExited(child, what, 'apt-get install postgresql-client');

export function postgresEnv(source: DatabaseSource, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {
    ...env,
    PGHOST: source.host,
    PGPORT: String(source.port),
    PGUSER: source.user,
    PGCLIENTENCODING: 'UTF8',
    PGDATESTYLE: 'ISO',
    // The settings pg_dump uses for its COPY data, so a table read back prints the same text.
    PGOPTIONS: '-c extra_float_digits=3 -c IntervalStyle=postgres',
  };
  delete out.PGPASSWORD;
  if (source.passwordEnv !== undefined) {
    const password = env[source.passwordEnv];
    if (password === undefined || password === '')
      throw new Error(
        `database ${source.database}: the environment variable ${source.passwordEnv} (passwordEnv) is not set`,
      );
    out.PGPASSWORD = password;
  }
  return out;
}

/** Starts pg_dump; its stdout is the dump, `done` settles with its exit. */
export function dumpPostgres(source: DatabaseSource): {
  stream: Readable;
  done: Promise<void>;
  /** Stops the dump (its reader is gone). */
  stop: () => void;
} {
  const child = spawn('pg_dump', ['--format=plain', '--encoding=UTF8', '--no-password', source.database], {
    env: postgresEnv(source),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return {
    stream: child.stdout,
    done: exited(child, `pg_dump of ${source.database}`),
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

/** Runs one SQL statement with psql and returns its unaligned output. */
export async function psql(source: DatabaseSource, database: string, sql: string): Promise<string> {
  const child = spawn('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', database, '-c', sql], {
    env: postgresEnv(source),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  await exited(child, `psql on ${database}`);
  return out;
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

export async function databaseExists(source: DatabaseSource, database: string): Promise<boolean> {
  const out = await psql(
    source,
    'postgres',
    `SELECT 1 FROM pg_database WHERE datname = '${database.replaceAll("'", "''")}'`,
  );
  return out.trim() === '1';
}

export async function createDatabase(source: DatabaseSource, database: string): Promise<void> {
  await psql(source, 'postgres', `CREATE DATABASE ${quoteIdent(database)}`);
}

export async function dropDatabase(source: DatabaseSource, database: string): Promise<void> {
  await psql(source, 'postgres', `DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
}

/** Loads a plain SQL dump into a database; stops at the first error. */
export async function loadDump(source: DatabaseSource, database: string, dump: Readable): Promise<void> {
  const child = spawn('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', database], {
    env: postgresEnv(source),
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  child.stdin.on('error', () => {
    // psql stopped early; its exit says why.
  });
  dump.pipe(child.stdin);
  await exited(child, `psql loading into ${database}`);
}

/** Row count and hash of a table as COPY prints it (`target` as pg_dump wrote it: `schema.table (cols)`). */
export async function tableFigures(
  source: DatabaseSource,
  database: string,
  target: string,
): Promise<TableFigures> {
  const child = spawn(
    'psql',
    ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', database, '-c', `COPY ${target} TO STDOUT`],
    {
      env: postgresEnv(source),
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const hasher = new RowHasher();
  const lines = new LineSplitter((line) => hasher.add(line));
  child.stdout.on('data', (chunk: Buffer) => lines.push(chunk));
  await exited(child, `reading ${target} from ${database}`);
  lines.end();
  return hasher.figures();
}

/**
 * MySQL/MariaDB through their own clients: mariadb-dump (or mysqldump) streams a consistent
 * logical dump (one transaction, routines, triggers, events), mariadb (or mysql) loads one.
 * Connection settings and the password go to the client in an option file passed as fd 3: the
 * file is unlinked before the client starts, so the password is never on disk, in argv (ps) or in
 * the environment of other processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { DatabaseSource } from '../core/backup.ts';
import { exited as clientExited } from './child-exit.ts';
import { LineSplitter, type TableFigures } from './dump-manifest.ts';
import { MysqlDumpRows } from './mysql-dump-rows.ts';

const INSTALL = 'apt-get install mariadb-client';

/** An option-file value in double quotes; backslash and quote escaped as the client expects. */
function optionValue(value: string): string {
  return `"${value.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

/** The `[client]` option file for a source (the password read from its passwordEnv). */
export function mysqlOptionFile(source: DatabaseSource, env: NodeJS.ProcessEnv = process.env): string {
  const lines = [
    '[client]',
    `host=${optionValue(source.host)}`,
    `port=${source.port}`,
    `user=${optionValue(source.user)}`,
    'default-character-set=utf8mb4',
  ];
  if (source.passwordEnv !== undefined) {
    const password = env[source.passwordEnv];
    if (password === undefined || password === '')
      throw new Error(
        `database ${source.database}: the environment variable ${source.passwordEnv} (passwordEnv) is not set`,
      );
    lines.push(`password=${optionValue(password)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Writes the option file 0600 in a private directory, opens it and unlinks it at once. */
function optionFileDescriptor(source: DatabaseSource): number {
  const dir = mkdtempSync(join(tmpdir(), 'steward-mysql-'));
  try {
    const path = join(dir, 'client.cnf');
    writeFileSync(path, mysqlOptionFile(source), { mode: 0o600, flag: 'wx' });
    return openSync(path, 'r');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const found = new Map<string, string>();
/** The first of the programs on PATH (MariaDB's names first; MySQL's work too). */
function program(names: string[]): string {
  const key = names.join(',');
  let hit = found.get(key);
  if (hit === undefined) {
    const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
    hit = names.find((n) => dirs.some((d) => existsSync(join(d, n)))) ?? names[names.length - 1]!;
    found.set(key, hit);
  }
  return hit;
}

const dumpProgram = () => program(['mariadb-dump', 'mysqldump']);
const clientProgram = () => program(['mariadb', 'mysql']);

/** Starts a client with the option file on fd 3 (`--defaults-extra-file` must come first). */
function client(
  command: string,
  args: string[],
  source: DatabaseSource,
  stdin: 'ignore' | 'pipe',
): ChildProcess {
  const fd = optionFileDescriptor(source);
  try {
    return spawn(command, ['--defaults-extra-file=/dev/fd/3', ...args], {
      stdio: [stdin, 'pipe', 'pipe', fd],
    });
  } finally {
    closeSync(fd);
  }
}

/** Access denied is the one failure an operator fixes in the spec or the environment. */
function explain(source: DatabaseSource, err: Error): Error {
  if (/Access denied for user/.test(err.message))
    return new Error(
      `${err.message}. Check the user "${source.user}" and the password in ${source.passwordEnv ? `$${source.passwordEnv} (passwordEnv)` : 'passwordEnv (none is set)'}`,
    );
  if (/Can't connect|Unknown MySQL server host|Lost connection/i.test(err.message))
    return new Error(`${err.message}. Is the server running at ${source.host}:${source.port}?`);
  return err;
}

const exited = (child: ChildProcess, what: string, source: DatabaseSource) =>
  clientExited(child, what, INSTALL).catch((err: Error) => {
    throw explain(source, err);
  });

/** The dump options: one consistent snapshot with everything needed to rebuild the database. */
export const MYSQL_DUMP_OPTIONS = [
  '--single-transaction',
  '--routines',
  '--triggers',
  '--events',
  '--hex-blob',
  '--no-tablespaces',
  '--skip-dump-date',
];

/** Starts the dump of `database` (default: the source's); its stdout is the dump. */
export function dumpMysql(
  source: DatabaseSource,
  database = source.database,
): { stream: Readable; done: Promise<void>; stop: () => void } {
  const command = dumpProgram();
  const child = client(command, [...MYSQL_DUMP_OPTIONS, '--', database], source, 'ignore');
  return {
    stream: child.stdout!,
    done: exited(child, `${command} of ${database}`, source),
    stop: () => {
      if (child.exitCode === null) child.kill('SIGTERM');
    },
  };
}

/** Runs SQL with the client in batch mode and returns its tab-separated output. */
export async function mysqlQuery(source: DatabaseSource, sql: string): Promise<string> {
  const command = clientProgram();
  const child = client(command, ['--batch', '--skip-column-names', '-e', sql], source, 'ignore');
  let out = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  await exited(child, `${command} on ${source.host}:${source.port}`, source);
  return out;
}

const quoteIdent = (name: string) => `\`${name.replaceAll('`', '``')}\``;
const quoteString = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

export async function mysqlDatabaseExists(source: DatabaseSource, database: string): Promise<boolean> {
  const out = await mysqlQuery(
    source,
    `SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ${quoteString(database)}`,
  );
  return out.trim() === '1';
}

export async function mysqlTableCount(source: DatabaseSource, database: string): Promise<number> {
  const out = await mysqlQuery(
    source,
    `SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ${quoteString(database)}`,
  );
  return Number(out.trim());
}

export async function createMysqlDatabase(source: DatabaseSource, database: string): Promise<void> {
  await mysqlQuery(source, `CREATE DATABASE ${quoteIdent(database)} CHARACTER SET utf8mb4`);
}

export async function dropMysqlDatabase(source: DatabaseSource, database: string): Promise<void> {
  await mysqlQuery(source, `DROP DATABASE IF EXISTS ${quoteIdent(database)}`);
}

/** Loads a dump into `database`; stops at the first error. */
export async function loadMysqlDump(source: DatabaseSource, database: string, dump: Readable): Promise<void> {
  const command = clientProgram();
  const child = client(command, ['--batch', '--database', database], source, 'pipe');
  child.stdin!.on('error', () => {
    // The client stopped early; its exit says why.
  });
  dump.pipe(child.stdin!);
  await exited(child, `${command} loading into ${database}`, source);
}

/** Dumps `database` again with the same options and returns every table's figures. */
export async function mysqlFigures(
  source: DatabaseSource,
  database: string,
): Promise<Record<string, TableFigures>> {
  const rows = new MysqlDumpRows();
  const lines = new LineSplitter((line) => rows.line(line));
  const dump = dumpMysql(source, database);
  dump.stream.on('data', (chunk: Buffer) => lines.push(chunk));
  await dump.done;
  lines.end();
  return rows.tables;
}

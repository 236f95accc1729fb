/**
 * One face for the database engines a job can back up: how to dump, how to read the rows of a
 * dump, and how to create, fill, verify and drop a database to restore into.
 */
import type { Readable } from 'node:stream';
import type { DatabaseSource } from '../core/backup.ts';
import { type DumpRows, PostgresCopyRows, type TableFigures } from './dump-manifest.ts';
import {
  createMysqlDatabase,
  dropMysqlDatabase,
  dumpMysql,
  loadMysqlDump,
  mysqlDatabaseExists,
  mysqlFigures,
  mysqlTableCount,
} from './mysql.ts';
import { MysqlDumpRows } from './mysql-dump-rows.ts';
import {
  createDatabase,
  databaseExists,
  dropDatabase,
  dumpPostgres,
  loadDump,
  psql,
  tableFigures,
} from './postgres.ts';

export interface RunningDump {
  stream: Readable;
  /** Settles with the dump program's exit. */
  done: Promise<void>;
  /** Stops the dump (its reader is gone). */
  stop: () => void;
}

export interface DatabaseEngine {
  /** Its name in messages and the runbook. */
  title: string;
  dump(source: DatabaseSource): RunningDump;
  /** Reads the row figures out of the dump while it streams. */
  rows(): DumpRows;
  exists(source: DatabaseSource, database: string): Promise<boolean>;
  tableCount(source: DatabaseSource, database: string): Promise<number>;
  create(source: DatabaseSource, database: string): Promise<void>;
  drop(source: DatabaseSource, database: string): Promise<void>;
  load(source: DatabaseSource, database: string, dump: Readable): Promise<void>;
  /** The figures of the manifest's tables as restored into `database` (missing tables absent). */
  figures(source: DatabaseSource, database: string, tables: string[]): Promise<Record<string, TableFigures>>;
}

const postgres: DatabaseEngine = {
  title: 'PostgreSQL',
  dump: dumpPostgres,
  rows: () => new PostgresCopyRows(),
  exists: databaseExists,
  tableCount: async (source, database) =>
    Number(
      (
        await psql(
          source,
          database,
          "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
        )
      ).trim(),
    ),
  create: createDatabase,
  drop: dropDatabase,
  load: loadDump,
  figures: async (source, database, tables) => {
    const out: Record<string, TableFigures> = {};
    for (const table of tables) out[table] = await tableFigures(source, database, table);
    return out;
  },
};

const mysql: DatabaseEngine = {
  title: 'MySQL/MariaDB',
  dump: (source) => dumpMysql(source),
  rows: () => new MysqlDumpRows(),
  exists: mysqlDatabaseExists,
  tableCount: mysqlTableCount,
  create: createMysqlDatabase,
  drop: dropMysqlDatabase,
  load: loadMysqlDump,
  figures: (source, database) => mysqlFigures(source, database),
};

export function databaseEngine(source: DatabaseSource): DatabaseEngine {
  return source.kind === 'postgres' ? postgres : mysql;
}

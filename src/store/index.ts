export { pickResolution, RESOLUTION_MS } from './resolution.ts';
export { parseSeriesKey, seriesKey } from './series-key.ts';
export { DATABASE_FILE } from './sqlite/connection.ts';
export { MIGRATIONS, type Migration } from './sqlite/migrations.ts';
export { openSqliteStore, type SqliteStoreOptions } from './sqlite/sqlite-store.ts';
export * from './types.ts';

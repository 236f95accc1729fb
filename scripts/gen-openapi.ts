// Writes docs/openapi.json from the routes' declared schemas (npm run openapi).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { version } from '../src/cli/index.ts';
import { Engine } from '../src/engine/index.ts';
import { silentLogger } from '../src/log/index.ts';
import { openSqliteStore } from '../src/store/index.ts';
import { buildServer } from '../src/web/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'steward-openapi-'));
const store = openSqliteStore(dir);
const deployment = {
  name: 'openapi',
  operatorNetworks: [],
  environments: [],
  hosts: [],
  services: [],
  pluginDirs: [],
  files: [],
};
const engine = new Engine({ deployment, store, logger: silentLogger() });
const app = await buildServer({ engine, store, logger: silentLogger(), version: version() });
await app.ready();
const doc = app.swagger();
writeFileSync(join(import.meta.dirname, '../docs/openapi.json'), `${JSON.stringify(doc, null, 2)}\n`);
await app.close();
store.close();
rmSync(dir, { recursive: true, force: true });
console.log('wrote docs/openapi.json');

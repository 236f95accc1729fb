import assert from 'node:assert/strict';
import { after } from 'node:test';
import { PluginSpawnerPool, usePluginSpawnerPool } from '../../../src/probes/plugin/index.ts';

/** Imported first by a test file: every plugin in it runs through two spawner processes. */
export const pool = new PluginSpawnerPool(2);
usePluginSpawnerPool(pool);
after(async () => {
  assert.ok(pool.stats().processes > 0, 'the suite ran its plugins through the spawner processes');
  usePluginSpawnerPool(undefined);
  await pool.stop();
});

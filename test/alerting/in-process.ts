/**
 * Steward's engine, store and alert dispatcher in the test process, on a spec with one prod host
 * `db` and passive checks `a` and `b`: results go in with engine.submitResult, acknowledgements and
 * downtimes through the engine, as the API does. `restartDispatcher` plays a stop of the alerting side
 * while the engine keeps going (what a crash between an event and its notification leaves behind).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlertDispatcher } from '../../src/alerting/index.ts';
import type { CheckResult } from '../../src/core/index.ts';
import { Engine } from '../../src/engine/index.ts';
import { silentLogger } from '../../src/log/index.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { openSqliteStore } from '../../src/store/index.ts';

export function result(state: number, output = state === 0 ? 'fine' : 'broken'): CheckResult {
  const now = Date.now();
  return { state, output, longOutput: '', perfdata: [], startedAt: now, finishedAt: now };
}

export async function startInProcess(alerting: string, checkExtra = '') {
  const dir = mkdtempSync(join(tmpdir(), 'steward-alerting-'));
  writeFileSync(
    join(dir, 'steward.yaml'),
    `deployment: acme
operatorNetworks: [127.0.0.0/8]
environments:
  - name: prod
    hosts:
      - name: db
        address: 127.0.0.1
        checks:
          - { name: a, passive: {}, maxAttempts: 1, freshness: 1h${checkExtra} }
          - { name: b, passive: {}, maxAttempts: 1, freshness: 1h${checkExtra} }
${alerting}`,
  );
  const loaded = loadSpec(join(dir, 'steward.yaml'));
  assert.ok(loaded.ok, JSON.stringify(!loaded.ok && loaded.errors));
  const store = openSqliteStore(join(dir, 'data'));
  const logger = silentLogger();
  const engine = new Engine({ deployment: loaded.deployment, store, logger });
  engine.start();
  const newDispatcher = () => {
    const d = new AlertDispatcher({ engine, store, logger, tickMs: 20 });
    d.start();
    return d;
  };
  const h = {
    engine,
    store,
    dispatcher: newDispatcher() as AlertDispatcher | null,
    async stopDispatcher() {
      await h.dispatcher?.stop();
      h.dispatcher = null;
    },
    async restartDispatcher() {
      await h.stopDispatcher();
      h.dispatcher = newDispatcher();
    },
    async stop() {
      await h.stopDispatcher();
      await engine.stop();
      store.close();
    },
  };
  return h;
}

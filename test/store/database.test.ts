import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, it } from 'node:test';
import { initialStatus } from '../../src/core/index.ts';
import { DATABASE_FILE, MIGRATIONS, openSqliteStore } from '../../src/store/index.ts';
import { event, HOUR, MINUTE, sql, T0, tempDir, tempStore } from './helpers.ts';

const series = (host: string) => ({
  name: 'perfdata',
  labels: { host, service: 'http', label: 'time' },
  unit: 's',
});

describe('database file', () => {
  it('creates <dataDir>/steward.db (and the directory) in WAL mode with all migrations applied', () => {
    using tmp = tempDir();
    const dataDir = join(tmp.dir, 'nested', 'data');
    const store = openSqliteStore(dataDir);
    try {
      assert.ok(existsSync(join(dataDir, DATABASE_FILE)));
      assert.deepEqual(sql(dataDir, 'PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
      const applied = sql<{ version: number }>(
        dataDir,
        'SELECT version FROM schema_migrations ORDER BY version',
      );
      assert.deepEqual(
        applied.map((r) => r.version),
        MIGRATIONS.map((m) => m.version),
      );
    } finally {
      store.close();
    }
    // Reopening applies nothing twice.
    openSqliteStore(dataDir).close();
    assert.equal(sql(dataDir, 'SELECT * FROM schema_migrations').length, MIGRATIONS.length);
  });

  it('refuses a database written by a newer schema, saying what to do', () => {
    using tmp = tempDir();
    openSqliteStore(tmp.dir).close();
    const db = new DatabaseSync(join(tmp.dir, DATABASE_FILE));
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      99,
      'future',
      0,
    );
    db.close();
    assert.throws(() => openSqliteStore(tmp.dir), /schema version 99.*newer Steward/);
  });

  it('says which file is wrong when the data directory holds something else', () => {
    using tmp = tempDir();
    writeFileSync(join(tmp.dir, DATABASE_FILE), 'not sqlite at all, just text '.repeat(100));
    assert.throws(
      () => openSqliteStore(tmp.dir),
      /cannot open the store at .*steward\.db: file is not a database/,
    );
  });

  it('close() checkpoints the WAL into the database file', () => {
    using tmp = tempDir();
    const store = openSqliteStore(tmp.dir);
    store.appendEvents(Array.from({ length: 200 }, (_, i) => event({ time: T0 + i })));
    store.close();
    const wal = join(tmp.dir, `${DATABASE_FILE}-wal`);
    assert.ok(!existsSync(wal) || statSync(wal).size === 0, 'WAL is empty after close');
    assert.equal(sql(tmp.dir, 'SELECT count(*) AS n FROM events')[0]!.n, 200);
  });
});

describe('persistence', () => {
  it('keeps everything across close and reopen, buffered samples included', () => {
    using h = tempStore({ now: () => T0 + HOUR });
    const s = h.store;
    const status = { ...initialStatus('web1/http', 'service'), state: 1, output: 'WARNING' };
    s.saveStatuses([status]);
    s.appendEvents([event()]);
    const d = s.addDowntime({
      objectId: 'web1',
      includeServices: false,
      start: T0,
      end: T0 + MINUTE,
      fixed: true,
      durationMs: MINUTE,
      author: 'a',
      comment: 'c',
      createdAt: T0,
      startedAt: null,
      endedAt: null,
      cancelled: false,
    });
    const c = s.addComment({
      objectId: 'web1',
      author: 'a',
      text: 't',
      time: T0,
      source: 'user',
      persistent: true,
    });
    const tok = s.addToken('ci', 'a'.repeat(64), 'admin');
    s.setMeta('k', 'v');
    s.writeSamples([
      { series: series('web1'), t: T0, v: 1 },
      { series: series('web1'), t: T0 + MINUTE, v: 2 },
    ]);
    const r = h.reopen();
    assert.deepEqual(r.loadStatuses(), [status]);
    assert.equal(r.queryEvents({}).length, 1);
    assert.deepEqual(r.getDowntime(d.id), d);
    assert.deepEqual(r.listComments(), [c]);
    assert.deepEqual(r.findTokenByHash('a'.repeat(64)), tok);
    assert.equal(r.getMeta('k'), 'v');
    const q = r.queryRange({ series: series('web1'), from: T0, to: T0 + MINUTE, stepMs: MINUTE });
    assert.deepEqual(
      q?.points.map((p) => [p.t, p.avg]),
      [
        [T0, 1],
        [T0 + MINUTE, 2],
      ],
    );
    // Series ids survive too: writing again does not create a second series.
    r.writeSamples([{ series: series('web1'), t: T0 + 2 * MINUTE, v: 3 }]);
    assert.equal(r.listSeries().length, 1);
    assert.equal(r.stats().rawSamples, 3);
  });
});

describe('transaction', () => {
  it('commits statuses, events and samples together', () => {
    using h = tempStore();
    h.store.transaction(() => {
      h.store.saveStatuses([initialStatus('a', 'host')]);
      h.store.appendEvents([event()]);
      h.store.writeSamples([{ series: series('a'), t: T0, v: 1 }]);
    });
    assert.equal(h.store.loadStatuses().length, 1);
    assert.equal(h.store.queryEvents({}).length, 1);
    assert.equal(h.store.listSeries().length, 1);
  });

  it('rolls back all of it, in memory too, when the function throws', () => {
    using h = tempStore({ now: () => T0 + HOUR });
    h.store.writeSamples([{ series: series('kept'), t: T0, v: 1 }]);
    assert.throws(
      () =>
        h.store.transaction(() => {
          h.store.saveStatuses([initialStatus('a', 'host')]);
          h.store.appendEvents([event()]);
          h.store.writeSamples([
            { series: series('new'), t: T0, v: 1 },
            { series: series('kept'), t: T0 + MINUTE, v: 2 },
          ]);
          throw new Error('boom');
        }),
      /boom/,
    );
    assert.deepEqual(h.store.loadStatuses(), []);
    assert.deepEqual(h.store.queryEvents({}), []);
    assert.deepEqual(
      h.store.listSeries().map((s) => s.labels.host),
      ['kept'],
    );
    assert.equal(h.store.queryRange({ series: series('new'), from: T0, to: T0, stepMs: MINUTE }), null);
    const kept = h.store.queryRange({ series: series('kept'), from: T0, to: T0 + MINUTE, stepMs: MINUTE });
    assert.deepEqual(
      kept?.points.map((p) => p.avg),
      [1],
    );
    assert.equal(h.store.stats().rawSamples, 1);
    // The store is usable afterwards and the rolled-back series gets created properly.
    h.store.writeSamples([{ series: series('new'), t: T0, v: 5 }]);
    assert.equal(
      h.store.queryRange({ series: series('new'), from: T0, to: T0, stepMs: MINUTE })?.points[0]?.avg,
      5,
    );
  });

  it('refuses an async function (it would commit before the awaits ran)', () => {
    using h = tempStore();
    assert.throws(
      () =>
        h.store.transaction(async () => {
          h.store.setMeta('k', 'v');
        }),
      /synchronous function/,
    );
    assert.equal(h.store.getMeta('k'), null);
  });

  it('a failing nested call rolls back only its own part', () => {
    using h = tempStore();
    h.store.transaction(() => {
      h.store.saveStatuses([initialStatus('a', 'host')]);
      assert.throws(
        () =>
          h.store.writeSamples([
            { series: series('ok'), t: T0, v: 1 },
            { series: { name: 'bad name', labels: {} }, t: T0, v: 1 },
          ]),
        /invalid metric name "bad name"/,
      );
    });
    assert.equal(h.store.loadStatuses().length, 1);
    assert.deepEqual(h.store.listSeries(), []);
    assert.equal(h.store.stats().rawSamples, 0);
  });
});

describe('stats', () => {
  it('reports file size, series, raw samples and events', () => {
    using h = tempStore();
    const empty = h.store.stats();
    assert.ok(empty.bytes > 0);
    assert.deepEqual({ ...empty, bytes: 0 }, { bytes: 0, series: 0, rawSamples: 0, events: 0 });
    h.store.writeSamples(
      Array.from({ length: 30 }, (_, i) => ({
        series: series(`h${i % 3}`),
        t: T0 + Math.floor(i / 3) * MINUTE,
        v: i,
      })),
    );
    h.store.appendEvents([event(), event()]);
    const s = h.store.stats();
    assert.equal(s.series, 3);
    assert.equal(s.rawSamples, 30);
    assert.equal(s.events, 2);
    h.store.runMaintenance(T0 + 60 * MINUTE);
    assert.equal(h.store.stats().rawSamples, 30, 'still 30 once moved out of the write buffer');
  });
});

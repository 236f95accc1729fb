import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { type Comment, type Downtime, initialStatus } from '../../src/core/index.ts';
import { event, HOUR, sql, T0, tempStore } from './helpers.ts';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('statuses', () => {
  it('upserts, loads and deletes whole statuses', () => {
    using h = tempStore();
    const a = initialStatus('web1', 'host');
    const b = {
      ...initialStatus('web1/http', 'service'),
      state: 2,
      output: 'CRITICAL',
      perfdata: [{ label: 'time', value: 1.5, uom: 's' }],
    };
    h.store.saveStatuses([a, b]);
    const b2 = { ...b, state: 0, output: 'OK', acknowledgement: null, activeDowntimes: [3] };
    h.store.saveStatuses([b2]);
    assert.deepEqual(h.store.loadStatuses(), [a, b2]);
    h.store.deleteStatuses(['web1']);
    assert.deepEqual(h.store.loadStatuses(), [b2]);
    h.store.deleteStatuses([]);
    assert.equal(h.store.loadStatuses().length, 1);
  });
});

describe('events', () => {
  it('round-trips every field and assigns increasing ids', () => {
    using h = tempStore();
    const e1 = event({ details: { reason: 'x', n: 2 }, author: 'ops', comment: 'c' });
    const e2 = event({
      time: T0 + 1,
      type: 'comment',
      state: undefined,
      hard: undefined,
      service: null,
      kind: 'host',
      objectId: 'web1',
    });
    delete e2.state;
    delete e2.hard;
    h.store.appendEvents([e1, e2]);
    const got = h.store.queryEvents({});
    assert.equal(got.length, 2);
    assert.ok(got[0]!.id! > got[1]!.id!, 'newest first');
    assert.deepEqual(got[1], { ...e1, id: got[1]!.id });
    assert.deepEqual(got[0], { ...e2, id: got[0]!.id });
    assert.equal('state' in got[0]!, false);
  });

  it('filters by object, host, service, environment, type, hard and time', () => {
    using h = tempStore();
    h.store.appendEvents([
      event({
        time: T0,
        objectId: 'web1/http',
        host: 'web1',
        service: 'http',
        environment: 'prod',
        hard: true,
      }),
      event({ time: T0 + 1000, objectId: 'web1/disk', host: 'web1', service: 'disk', environment: 'prod' }),
      event({
        time: T0 + 2000,
        objectId: 'db1/http',
        host: 'db1',
        service: 'http',
        environment: 'test',
        hard: true,
      }),
      event({
        time: T0 + 3000,
        objectId: 'db1',
        host: 'db1',
        service: null,
        kind: 'host',
        type: 'downtime_start',
        hard: undefined,
      }),
      event({
        time: T0 + 4000,
        objectId: 'web1/http',
        host: 'web1',
        service: 'http',
        type: 'acknowledgement',
        hard: undefined,
      }),
    ]);
    const times = (q: Parameters<typeof h.store.queryEvents>[0]) =>
      h.store.queryEvents(q).map((e) => e.time - T0);
    assert.deepEqual(times({ objectId: 'web1/http' }), [4000, 0]);
    assert.deepEqual(times({ host: 'db1' }), [3000, 2000]);
    assert.deepEqual(times({ service: 'http' }), [4000, 2000, 0]);
    assert.deepEqual(times({ environment: 'test' }), [2000]);
    assert.deepEqual(times({ types: ['downtime_start', 'acknowledgement'] }), [4000, 3000]);
    assert.deepEqual(times({ hardOnly: true }), [2000, 0]);
    assert.deepEqual(times({ from: T0 + 1000, to: T0 + 3000 }), [3000, 2000, 1000]);
    assert.deepEqual(times({ host: 'web1', types: ['state'], hardOnly: true }), [0]);
  });

  it('pages newest first with beforeId, 500 per page by default', () => {
    using h = tempStore();
    h.store.appendEvents(Array.from({ length: 1200 }, (_, i) => event({ time: T0 + i })));
    const first = h.store.queryEvents({});
    assert.equal(first.length, 500);
    assert.equal(first[0]!.time, T0 + 1199);
    const second = h.store.queryEvents({ beforeId: first.at(-1)!.id });
    assert.equal(second.length, 500);
    assert.equal(second[0]!.time, T0 + 699);
    const third = h.store.queryEvents({ beforeId: second.at(-1)!.id, limit: 1000 });
    assert.equal(third.length, 200);
    assert.equal(third.at(-1)!.time, T0);
    const seen = new Set([...first, ...second, ...third].map((e) => e.id));
    assert.equal(seen.size, 1200);
    assert.equal(h.store.queryEvents({ limit: 3 }).length, 3);
    assert.deepEqual(h.store.queryEvents({ limit: 0 }), []);
  });
});

describe('downtimes and comments', () => {
  const dt = (over: Partial<Downtime> = {}): Omit<Downtime, 'id'> => ({
    objectId: 'web1',
    includeServices: true,
    start: T0,
    end: T0 + HOUR,
    fixed: true,
    durationMs: HOUR,
    author: 'ops',
    comment: 'patching',
    createdAt: T0 - 1000,
    startedAt: null,
    endedAt: null,
    cancelled: false,
    ...over,
  });

  it('adds with autoincrement ids, gets, updates and lists downtimes', () => {
    using h = tempStore();
    const a = h.store.addDowntime(dt());
    const b = h.store.addDowntime(
      dt({ objectId: 'db1', start: T0 - HOUR, fixed: false, includeServices: false }),
    );
    assert.equal(b.id, a.id + 1);
    assert.deepEqual(h.store.getDowntime(a.id), a);
    assert.equal(h.store.getDowntime(999), null);
    assert.deepEqual(h.store.listDowntimes(), [b, a], 'by start time');
    assert.deepEqual(h.store.listDowntimes({ objectId: 'web1' }), [a]);

    const ended = { ...a, startedAt: T0, endedAt: T0 + HOUR };
    h.store.updateDowntime(ended);
    assert.deepEqual(h.store.getDowntime(a.id), ended);
    const cancelled = { ...b, cancelled: true };
    h.store.updateDowntime(cancelled);
    assert.deepEqual(h.store.listDowntimes(), []);
    assert.deepEqual(h.store.listDowntimes({ includeEnded: true }), [cancelled, ended]);
    assert.throws(() => h.store.updateDowntime({ ...a, id: 999 }), /downtime 999/);
  });

  it('adds, lists and deletes comments', () => {
    using h = tempStore();
    const c = (over: Partial<Comment>): Omit<Comment, 'id'> => ({
      objectId: 'web1',
      author: 'ops',
      text: 'hello',
      time: T0,
      source: 'user',
      persistent: true,
      ...over,
    });
    const a = h.store.addComment(c({ time: T0 + 5 }));
    const b = h.store.addComment(c({ objectId: 'db1', source: 'acknowledgement', persistent: false }));
    assert.deepEqual(h.store.listComments(), [b, a]);
    assert.deepEqual(h.store.listComments({ objectId: 'web1' }), [a]);
    assert.equal(h.store.deleteComment(a.id), true);
    assert.equal(h.store.deleteComment(a.id), false);
    assert.deepEqual(h.store.listComments(), [b]);
    const c3 = h.store.addComment(c({}));
    assert.ok(c3.id > b.id && c3.id !== a.id, 'ids are not reused');
  });
});

describe('tokens', () => {
  it('stores hashes only, finds by hash, never returns the hash', () => {
    let clock = T0;
    using h = tempStore({ now: () => clock });
    const hash = sha('secret-token-1');
    const added = h.store.addToken('ci', hash, 'admin');
    assert.deepEqual(added, { id: added.id, name: 'ci', role: 'admin', createdAt: T0, lastUsedAt: null });
    assert.deepEqual(h.store.findTokenByHash(hash), added);
    assert.deepEqual(h.store.findTokenByHash(hash.toUpperCase()), added);
    assert.equal(h.store.findTokenByHash(sha('other')), null);
    assert.equal(h.store.findTokenByHash('not a hash'), null);
    clock += 1000;
    h.store.addToken('viewer', sha('secret-token-2'), 'read');
    h.store.touchToken(added.id, T0 + 5000);
    const list = h.store.listTokens();
    assert.deepEqual(
      list.map((t) => [t.name, t.role, t.lastUsedAt]),
      [
        ['ci', 'admin', T0 + 5000],
        ['viewer', 'read', null],
      ],
    );
    for (const t of list)
      assert.deepEqual(Object.keys(t).sort(), ['createdAt', 'id', 'lastUsedAt', 'name', 'role']);
    assert.equal(JSON.stringify(list).includes(hash), false);
    assert.deepEqual(sql(h.dir, 'SELECT hash FROM tokens WHERE name = ?', 'ci'), [{ hash }]);
  });

  it('rejects duplicate names and non-hashes without echoing secrets', () => {
    using h = tempStore();
    h.store.addToken('ci', sha('a'), 'admin');
    assert.throws(() => h.store.addToken('ci', sha('b'), 'admin'), /named "ci" already exists/);
    assert.throws(
      () => h.store.addToken('ci2', sha('a'), 'admin'),
      (err: Error) => !err.message.includes(sha('a')),
    );
    assert.throws(
      () => h.store.addToken('raw', 'stw_plaintext_token_value', 'admin'),
      (err: Error) => /SHA-256/.test(err.message) && !err.message.includes('stw_plaintext_token_value'),
    );
  });

  it('revokes by name', () => {
    using h = tempStore();
    const hash = sha('x');
    h.store.addToken('ci', hash, 'admin');
    assert.equal(h.store.revokeToken('ci'), true);
    assert.equal(h.store.revokeToken('ci'), false);
    assert.equal(h.store.findTokenByHash(hash), null);
    assert.deepEqual(h.store.listTokens(), []);
  });
});

describe('meta', () => {
  it('gets and overwrites values', () => {
    using h = tempStore();
    assert.equal(h.store.getMeta('last_reload'), null);
    h.store.setMeta('last_reload', '{"ok":true}');
    h.store.setMeta('last_reload', '{"ok":false}');
    assert.equal(h.store.getMeta('last_reload'), '{"ok":false}');
  });
});

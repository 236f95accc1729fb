import { assertValidSeries, parseSeriesKey, seriesKey } from '../series-key.ts';
import type { SeriesRef } from '../types.ts';
import type { Connection } from './connection.ts';

/**
 * Fast path from a SeriesRef to its id without building its canonical key: a trie over the name
 * and the labels in the caller's property order (name, k1, v1, k2, v2, ...). Callers build refs
 * the same way every time, so after the first sample a lookup is a few Map.get calls on strings
 * whose hashes V8 has cached, several times cheaper than sorting and escaping the labels.
 */
class RefTrie {
  id = 0;
  next: Map<string, RefTrie> | null = null;

  child(token: string): RefTrie {
    if (this.next === null) this.next = new Map();
    let n = this.next.get(token);
    if (n === undefined) {
      n = new RefTrie();
      this.next.set(token, n);
    }
    return n;
  }
}

/** The host label in a canonical key (labels are `name="escaped value"`, comma-separated). */
const HOST_LABEL = /[{,]host="((?:[^"\\]|\\.)*)"/;

function hostOfKey(key: string): string | undefined {
  const m = HOST_LABEL.exec(key);
  return m ? m[1]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c)) : undefined;
}

export interface SeriesRow {
  id: number;
  key: string;
  name: string;
  labels: string;
  unit: string | null;
}

/**
 * Series ids by canonical key, all in memory: every sample written looks its series up, so that
 * lookup must not touch the database. New series are inserted in the caller's transaction and
 * forgotten again if it rolls back.
 */
export class SeriesRegistry {
  readonly #conn: Connection;
  readonly #ids = new Map<string, number>();
  /** Series ids by their host label: a host's graphs list its series without scanning them all. */
  readonly #byHost = new Map<string, number[]>();
  #trie = new RefTrie();
  #maxId = 0;

  constructor(conn: Connection) {
    this.#conn = conn;
    const rows = conn.db.prepare('SELECT id, key FROM series').all() as { id: number; key: string }[];
    for (const r of rows) {
      this.#ids.set(r.key, r.id);
      this.#indexHost(r.key, r.id);
      if (r.id > this.#maxId) this.#maxId = r.id;
    }
  }

  #indexHost(key: string, id: number): void {
    const host = hostOfKey(key);
    if (host === undefined) return;
    const ids = this.#byHost.get(host);
    if (ids) ids.push(id);
    else this.#byHost.set(host, [id]);
  }

  /** Ids of the series whose host label is `host`, oldest first. */
  idsOfHost(host: string): readonly number[] {
    return this.#byHost.get(host) ?? [];
  }

  get size(): number {
    return this.#ids.size;
  }

  /** The highest id handed out (ids are dense from 1). */
  get maxId(): number {
    return this.#maxId;
  }

  /** The series' id, creating the series (inside the open transaction) when it is new. */
  idFor(ref: SeriesRef): number {
    let node = this.#trie.child(ref.name);
    const labels = ref.labels;
    for (const k in labels) node = node.child(k).child(labels[k]!);
    if (node.id !== 0) return node.id;
    const key = seriesKey(ref);
    node.id = this.#ids.get(key) ?? this.#create(key, ref);
    return node.id;
  }

  /** Looks a series up by key (any label order) or by ref; undefined when it was never written. */
  find(series: string | SeriesRef): { id: number; key: string } | undefined {
    let key = typeof series === 'string' ? series : seriesKey(series);
    let id = this.#ids.get(key);
    if (id === undefined && typeof series === 'string') {
      const ref = parseSeriesKey(series);
      if (ref) {
        key = seriesKey(ref);
        id = this.#ids.get(key);
      }
    }
    return id === undefined ? undefined : { id, key };
  }

  #create(key: string, ref: SeriesRef): number {
    assertValidSeries(ref);
    const labels: Record<string, string> = {};
    for (const k of Object.keys(ref.labels).sort()) {
      const v = ref.labels[k];
      if (v !== undefined && v !== '') labels[k] = v;
    }
    const r = this.#conn
      .statement('INSERT INTO series (key, name, labels, unit) VALUES (?, ?, ?, ?)')
      .run(key, ref.name, JSON.stringify(labels), ref.unit || null);
    const id = Number(r.lastInsertRowid);
    const previousMax = this.#maxId;
    this.#ids.set(key, id);
    this.#indexHost(key, id);
    if (id > this.#maxId) this.#maxId = id;
    this.#conn.onRollback(() => {
      this.#ids.delete(key);
      const host = hostOfKey(key);
      const ids = host === undefined ? undefined : this.#byHost.get(host);
      if (ids)
        this.#byHost.set(
          host!,
          ids.filter((x) => x !== id),
        );
      this.#maxId = previousMax;
      this.#trie = new RefTrie(); // it may point at the id just undone; it refills on use
    });
    return id;
  }
}

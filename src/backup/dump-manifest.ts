/**
 * While a logical dump (pg_dump's plain format, mariadb-dump/mysqldump) streams through Steward
 * into restic, count each table's rows and hash them (order-independent: the sum of every row's
 * SHA-256 prefix), then append the figures as a final SQL comment (`-- ` is a comment in both
 * dialects). A drill restores the dump and computes the same figures from the restored database,
 * so a restore that lost or changed a row is caught.
 */
import { hash } from 'node:crypto';
import { Transform, type TransformCallback } from 'node:stream';

export interface TableFigures {
  rows: number;
  /** Hex of the 64-bit sum of the rows' SHA-256 prefixes. */
  hash: string;
}

export interface DumpManifest {
  /**
   * Keyed by table: PostgreSQL by the COPY target as pg_dump writes it, e.g.
   * `public.items (id, name)`; MySQL/MariaDB by the table name.
   */
  tables: Record<string, TableFigures>;
}

/** Reads a dump line by line and keeps the figures of every table it has seen. */
export interface DumpRows {
  line(line: Buffer): void;
  readonly tables: Record<string, TableFigures>;
}

export const MANIFEST_PREFIX = '-- steward-manifest ';
const TWO_32 = 4294967296;

/**
 * Order-independent hash accumulator over text rows: the sum modulo 2^64 of each row's first 8
 * SHA-256 bytes, kept as two 32-bit halves (BigInt arithmetic per row cost a third of the time).
 */
export class RowHasher {
  rows = 0;
  #high = 0;
  #low = 0;
  add(line: string | Buffer): void {
    this.rows++;
    const digest = hash('sha256', line, 'buffer');
    this.#low += digest.readUInt32BE(4);
    this.#high += digest.readUInt32BE(0);
    if (this.#low >= TWO_32) {
      this.#high += Math.floor(this.#low / TWO_32);
      this.#low %= TWO_32;
    }
    this.#high %= TWO_32;
  }
  figures(): TableFigures {
    const hex = (n: number) => n.toString(16).padStart(8, '0');
    return { rows: this.rows, hash: hex(this.#high) + hex(this.#low) };
  }
}

const COPY_START = /^COPY (.+) FROM stdin;$/;

/** pg_dump's plain format: a table's rows are the lines between `COPY … FROM stdin;` and `\.`. */
export class PostgresCopyRows implements DumpRows {
  readonly tables: Record<string, TableFigures> = {};
  #table: string | null = null;
  #hasher: RowHasher | null = null;

  line(line: Buffer): void {
    if (this.#table !== null && this.#hasher !== null) {
      if (line.length === 2 && line[0] === 0x5c && line[1] === 0x2e) {
        this.tables[this.#table] = this.#hasher.figures();
        this.#table = null;
        this.#hasher = null;
      } else this.#hasher.add(line);
      return;
    }
    if (line.length > 5 && line[0] === 0x43 /* C */) {
      const m = COPY_START.exec(line.toString('utf8'));
      if (m) {
        this.#table = m[1]!;
        this.#hasher = new RowHasher();
      }
    }
  }
}

/** Calls `onLine` for every complete line of a byte stream. */
export class LineSplitter {
  #partial: Buffer = Buffer.alloc(0);
  readonly #onLine: (line: Buffer) => void;
  constructor(onLine: (line: Buffer) => void) {
    this.#onLine = onLine;
  }
  push(chunk: Buffer): void {
    let data = this.#partial.length > 0 ? Buffer.concat([this.#partial, chunk]) : chunk;
    let nl = data.indexOf(10);
    while (nl >= 0) {
      this.#onLine(data.subarray(0, nl));
      data = data.subarray(nl + 1);
      nl = data.indexOf(10);
    }
    this.#partial = Buffer.from(data);
  }
  end(): void {
    if (this.#partial.length > 0) this.#onLine(this.#partial);
    this.#partial = Buffer.alloc(0);
  }
}

/** Passes the dump through unchanged and appends the manifest comment at the end. */
export class DumpManifestTransform extends Transform {
  readonly #rows: DumpRows;
  readonly #lines: LineSplitter;
  readonly #beforeEnd: () => Promise<void>;

  /** `beforeEnd` must resolve before the stream ends: a failed dump must never end as a complete one. */
  constructor(rows: DumpRows, beforeEnd: () => Promise<void> = async () => {}) {
    super();
    this.#rows = rows;
    this.#lines = new LineSplitter((line) => rows.line(line));
    this.#beforeEnd = beforeEnd;
  }

  get manifest(): DumpManifest {
    return { tables: this.#rows.tables };
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.push(chunk);
    this.#lines.push(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    this.#lines.end();
    this.#beforeEnd().then(
      () => {
        this.push(`\n${MANIFEST_PREFIX}${JSON.stringify(this.manifest)}\n`);
        done();
      },
      (err: Error) => done(err),
    );
  }
}

/** Reads the manifest from the end of a dump's text (null when the dump has none). */
export function parseManifest(tail: string): DumpManifest | null {
  const at = tail.lastIndexOf(MANIFEST_PREFIX);
  if (at < 0) return null;
  const line = tail.slice(at + MANIFEST_PREFIX.length).split('\n')[0] ?? '';
  try {
    return JSON.parse(line) as DumpManifest;
  } catch {
    return null;
  }
}

/**
 * Row figures of a mariadb-dump / mysqldump stream. Each table's data is a run of extended
 * INSERT statements: `INSERT INTO \`t\` VALUES (1,'a'),(2,'b\'c');` on one line (mysqldump,
 * older MariaDB) or with one tuple per line after `VALUES` (MariaDB 10.11+); strings never hold a
 * raw newline (it is printed as \n), so a statement ends with the line that ends in `;`. Every
 * parenthesised tuple is one row; its bytes are hashed as the dump printed them. The drill dumps
 * the restored database with the same options and compares, so both sides use the same printer.
 */
import { type DumpRows, RowHasher, type TableFigures } from './dump-manifest.ts';

const CREATE_TABLE = Buffer.from('CREATE TABLE `');
const INSERT_INTO = Buffer.from('INSERT INTO `');
const BACKTICK = 0x60;
const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const OPEN = 0x28;
const CLOSE = 0x29;

/** A backtick-quoted name starting at `from` (just after the opening backtick); `` is a backtick. */
function quotedName(line: Buffer, from: number): { name: string; end: number } | null {
  let i = from;
  const parts: Buffer[] = [];
  let start = i;
  while (i < line.length) {
    if (line[i] === BACKTICK) {
      if (line[i + 1] === BACKTICK) {
        parts.push(line.subarray(start, i + 1));
        i += 2;
        start = i;
        continue;
      }
      parts.push(line.subarray(start, i));
      return { name: Buffer.concat(parts).toString('utf8'), end: i + 1 };
    }
    i++;
  }
  return null;
}

/** The index of the quote that closes a string whose content starts at `from` (-1: none on the line). */
function stringEnd(line: Buffer, from: number): number {
  let i = from;
  for (;;) {
    const quote = line.indexOf(QUOTE, i);
    if (quote < 0) return -1;
    let backslashes = 0;
    while (quote - backslashes - 1 >= from && line[quote - backslashes - 1] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 1)
      i = quote + 1; // \' is an escaped quote
    else if (line[quote + 1] === QUOTE)
      i = quote + 2; // '' too (NO_BACKSLASH_ESCAPES)
    else return quote;
  }
}

/** Calls `onRow` with the bytes inside each top-level `( … )` of an INSERT's VALUES list. */
export function forEachTuple(line: Buffer, from: number, onRow: (row: Buffer) => void): void {
  let depth = 0;
  let start = -1;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    // Strings are most of the bytes: jump over them with indexOf instead of byte by byte.
    if (c === QUOTE) {
      const end = stringEnd(line, i + 1);
      if (end < 0) return;
      i = end;
    } else if (c === OPEN) {
      if (depth === 0) start = i + 1;
      depth++;
    } else if (c === CLOSE) {
      depth--;
      if (depth === 0 && start >= 0) {
        onRow(line.subarray(start, i));
        start = -1;
      }
    }
  }
}

const SEMICOLON = 0x3b;

/** The line ends the statement (a trailing `;`, a CR before the newline tolerated). */
function endsStatement(line: Buffer): boolean {
  let end = line.length - 1;
  if (line[end] === 0x0d) end--;
  return line[end] === SEMICOLON;
}

export class MysqlDumpRows implements DumpRows {
  readonly #hashers = new Map<string, RowHasher>();
  /** Inside an INSERT that goes on over the next lines. */
  #inserting: RowHasher | null = null;

  #hasher(table: string): RowHasher {
    let h = this.#hashers.get(table);
    if (h === undefined) {
      h = new RowHasher();
      this.#hashers.set(table, h);
    }
    return h;
  }

  line(line: Buffer): void {
    if (this.#inserting !== null) {
      const hasher = this.#inserting;
      forEachTuple(line, 0, (row) => hasher.add(row));
      if (endsStatement(line)) this.#inserting = null;
      return;
    }
    // Tables without rows have no INSERT: their CREATE TABLE still puts them in the manifest.
    if (line[0] === 0x43 /* C */ && line.subarray(0, CREATE_TABLE.length).equals(CREATE_TABLE)) {
      const name = quotedName(line, CREATE_TABLE.length);
      if (name) this.#hasher(name.name);
      return;
    }
    if (line[0] !== 0x49 /* I */ || !line.subarray(0, INSERT_INTO.length).equals(INSERT_INTO)) return;
    const name = quotedName(line, INSERT_INTO.length);
    if (name === null) return;
    const values = line.indexOf(' VALUES', name.end);
    if (values < 0) return;
    const hasher = this.#hasher(name.name);
    forEachTuple(line, values + 7, (row) => hasher.add(row));
    if (!endsStatement(line)) this.#inserting = hasher;
  }

  get tables(): Record<string, TableFigures> {
    const out: Record<string, TableFigures> = {};
    for (const [name, h] of this.#hashers) out[name] = h.figures();
    return out;
  }
}

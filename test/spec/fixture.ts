/**
 * Spec fixtures written to a temporary directory. A `▶` in a fixture marks where an error is
 * expected: it is removed from the file and its line and column are recorded, so a test states
 * positions by pointing at them rather than by counting.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const MARK = '▶';

export interface Mark {
  file: string;
  line: number;
  column: number;
}

export interface Fixture {
  dir: string;
  /** Absolute path of the first file given (the main spec). */
  main: string;
  /** Marked positions, in file order then text order. */
  marks: Mark[];
  path(name: string): string;
}

export function writeFixture(files: Record<string, string>): Fixture {
  const dir = mkdtempSync(path.join(tmpdir(), 'steward-spec-'));
  const marks: Mark[] = [];
  for (const [name, marked] of Object.entries(files)) {
    const file = path.join(dir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    const lines = marked.split('\n');
    lines.forEach((text, i) => {
      let rest = text;
      for (let at = rest.indexOf(MARK); at >= 0; at = rest.indexOf(MARK)) {
        marks.push({ file, line: i + 1, column: at + 1 });
        rest = rest.slice(0, at) + rest.slice(at + MARK.length);
      }
    });
    writeFileSync(file, marked.split(MARK).join(''));
  }
  const main = path.join(dir, Object.keys(files)[0]!);
  return { dir, main, marks, path: (name) => path.join(dir, name) };
}

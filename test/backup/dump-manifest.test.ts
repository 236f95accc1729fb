import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { RowHasher } from '../../src/backup/dump-manifest.ts';

test('row hash: the 64-bit sum of every row SHA-256 prefix, as manifests of earlier snapshots recorded it', () => {
  const rows = Array.from({ length: 5000 }, (_, i) => `row ${i}\tvalue ${i * 7}`);
  let sum = 0n;
  for (const r of rows)
    sum = (sum + createHash('sha256').update(r).digest().readBigUInt64BE(0)) & ((1n << 64n) - 1n);
  const hasher = new RowHasher();
  for (const r of rows) hasher.add(Buffer.from(r));
  assert.deepEqual(hasher.figures(), { rows: 5000, hash: sum.toString(16).padStart(16, '0') });
  // Order does not matter.
  const reversed = new RowHasher();
  for (const r of [...rows].reverse()) reversed.add(r);
  assert.equal(reversed.figures().hash, hasher.figures().hash);
});

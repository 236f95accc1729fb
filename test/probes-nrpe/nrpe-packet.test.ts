import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { crc32 } from 'node:zlib';
import { decodePacket, encodeQuery, encodeResponse } from '../../src/probes/nrpe/index.ts';
import { ResponseAssembler } from '../../src/probes/nrpe/packet.ts';
import { buildQuery } from '../../src/probes/nrpe/query.ts';
import { runCheckNrpe, type ScriptedDaemon, startScriptedDaemon } from './nrpe-peers.ts';

let d: ScriptedDaemon;
after(() => d?.stop());

async function captured(args: string[]): Promise<Buffer> {
  d ??= await startScriptedDaemon((q) => encodeResponse(q.version === 4 ? 4 : 2, 0, 'OK'));
  const before = d.queries.length;
  await runCheckNrpe(['-H', '127.0.0.1', '-p', String(d.port), '-n', ...args]);
  const q = d.queries[before];
  assert.ok(q, 'check_nrpe sent a query');
  return q.raw;
}

describe('NRPE packets, byte for byte against check_nrpe', () => {
  it('a v4 query is exactly the packet check_nrpe sends (1036 bytes, zero padded, CRC32)', async () => {
    const theirs = await captured(['-c', 'check_load', '-a', '5', '10']);
    const ours = encodeQuery(4, 'check_load!5!10');
    assert.equal(ours.length, 1036);
    assert.deepEqual(ours, theirs);
  });

  it('a long v4 query grows past 1036 bytes exactly as check_nrpe grows it', async () => {
    const arg = 'a'.repeat(1500);
    const theirs = await captured(['-c', 'long', '-a', arg]);
    const ours = encodeQuery(4, `long!${arg}`);
    assert.equal(ours.length, 16 + 'long!'.length + 1500 + 1);
    assert.deepEqual(ours, theirs);
  });

  it('a v2 query matches check_nrpe -2 but for the bytes it leaves random (result code, padding, so CRC)', async () => {
    const theirs = await captured(['-2', '-c', 'check_users']);
    const ours = encodeQuery(2, 'check_users');
    assert.equal(ours.length, 1036);
    assert.equal(theirs.length, 1036);
    assert.deepEqual(ours.subarray(0, 4), theirs.subarray(0, 4));
    assert.deepEqual(ours.subarray(10, 1034), theirs.subarray(10, 1034));
    const zeroed = Buffer.from(theirs);
    zeroed.writeUInt32BE(0, 4);
    assert.equal(theirs.readUInt32BE(4), crc32(zeroed), 'check_nrpe computes the CRC as node:zlib does');
  });

  it('decodes responses and detects corruption', () => {
    const v4 = decodePacket(encodeResponse(4, 2, 'CRITICAL - x|a=1'));
    assert.deepEqual([v4.version, v4.type, v4.resultCode, v4.text], [4, 2, 2, 'CRITICAL - x|a=1']);
    assert.equal(v4.crcSent, v4.crcComputed);
    const bad = encodeResponse(2, 0, 'OK');
    bad[11] = 0x21;
    const v2 = decodePacket(bad);
    assert.notEqual(v2.crcSent, v2.crcComputed);
  });

  it('assembles a response from one-byte chunks and spots framing problems early', () => {
    const packet = encodeResponse(4, 1, 'WARNING');
    const assembler = new ResponseAssembler(4);
    let got: ReturnType<ResponseAssembler['push']>;
    for (const byte of packet) got = assembler.push(Buffer.from([byte]));
    assert.ok(Buffer.isBuffer(got));
    assert.equal(decodePacket(got).text, 'WARNING');
    assert.deepEqual(new ResponseAssembler(4).push(encodeResponse(2, 0, 'x')), {
      kind: 'version',
      version: 2,
    });
    const huge = encodeResponse(4, 0, 'x');
    huge.writeInt32BE(1 << 20, 12);
    assert.deepEqual(new ResponseAssembler(4).push(huge), { kind: 'length', length: 1 << 20 });
  });

  it('builds queries as check_nrpe does and refuses what the daemon would drop', () => {
    assert.deepEqual(buildQuery('check_disk', ['-w', '20%']), { ok: true, query: 'check_disk!-w!20%' });
    assert.equal(buildQuery('x', ['']).ok, false);
    assert.equal(buildQuery('x', ['a!b']).ok, false);
    assert.equal(buildQuery('x', ['$(id)']).ok, false);
    assert.equal(
      buildQuery(
        'x',
        Array.from({ length: 17 }, () => 'a'),
      ).ok,
      false,
    );
    assert.equal(buildQuery('a|b', []).ok, false);
  });
});

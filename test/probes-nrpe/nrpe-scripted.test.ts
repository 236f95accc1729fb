import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { encodeResponse, type NrpeProbe, runNrpe } from '../../src/probes/nrpe/index.ts';
import {
  asNagiosSees,
  comparable,
  corruptedResponse,
  runCheckNrpe,
  type ScriptedDaemon,
  startScriptedDaemon,
} from './nrpe-peers.ts';

const OPTS = { timeoutMs: 5000, timeoutState: 2 as const };
const daemons: ScriptedDaemon[] = [];
after(() => Promise.all(daemons.map((d) => d.stop())));

async function daemon(answer: Parameters<typeof startScriptedDaemon>[0]): Promise<ScriptedDaemon> {
  const d = await startScriptedDaemon(answer);
  daemons.push(d);
  return d;
}

function probe(port: number, command: string, more: Partial<NrpeProbe> = {}): NrpeProbe {
  return { kind: 'nrpe', host: '127.0.0.1', port, command, args: [], tls: 'none', ...more };
}

describe('NRPE against scripted daemons (what a healthy nrpe never does)', () => {
  it('a response with a wrong CRC32 is UNKNOWN, as with check_nrpe', async () => {
    const d = await daemon((q) => corruptedResponse(q.version === 4 ? 4 : 2, 0, 'OK - fine'));
    const ours = await runNrpe(probe(d.port, 'x'), OPTS);
    const theirs = await runCheckNrpe(['-H', '127.0.0.1', '-p', String(d.port), '-n', '-c', 'x']);
    assert.equal(ours.state, 3);
    assert.equal(ours.state, theirs.exitCode);
    assert.match(theirs.stdout, /invalid CRC32/);
    assert.match(
      ours.output,
      /^CHECK_NRPE: Response packet had invalid CRC32 \(127\.0\.0\.1 port \d+, protocol v4: packet says 0x[0-9a-f]{8}, content gives 0x[0-9a-f]{8}\)/,
    );
    const v2 = await runNrpe(probe(d.port, 'x', { protocol: 2 }), OPTS);
    assert.match(v2.output, /invalid CRC32 .*protocol v2/);
  });

  it('a daemon that never answers is a timeout in timeoutState, after timeoutMs', async () => {
    const d = await daemon(() => 'silence');
    const started = Date.now();
    const ours = await runNrpe(probe(d.port, 'slow'), { timeoutMs: 300, timeoutState: 2 });
    const took = Date.now() - started;
    assert.ok(took >= 290 && took < 2000, `took ${took} ms`);
    assert.equal(ours.state, 2);
    assert.equal(ours.timedOut, true);
    assert.match(
      ours.output,
      /^CHECK_NRPE STATE CRITICAL: Socket timeout after 0\.30 seconds waiting for the response \(127\.0\.0\.1 port \d+, command 'slow', protocol v4, no TLS\)$/,
    );
    const theirs = await runCheckNrpe([
      '-H',
      '127.0.0.1',
      '-p',
      String(d.port),
      '-n',
      '-t',
      '1',
      '-c',
      'slow',
    ]);
    assert.equal(ours.state, theirs.exitCode);
    assert.match(theirs.stdout, /Socket timeout/);
    const asUnknown = await runNrpe(probe(d.port, 'slow'), { timeoutMs: 200, timeoutState: 3 });
    assert.equal(asUnknown.state, 3);
    assert.match(asUnknown.output, /^CHECK_NRPE STATE UNKNOWN: Socket timeout/);
  });

  it('falls back to v2 when the daemon hangs up on v4 (nrpe 2.x), like check_nrpe, and remembers it', async () => {
    const d = await daemon((q) =>
      q.version === 4 ? 'close' : encodeResponse(2, 1, 'WARNING - old daemon|load=3;2;4'),
    );
    const ours = await runNrpe(probe(d.port, 'load'), OPTS);
    const theirs = await runCheckNrpe(['-H', '127.0.0.1', '-p', String(d.port), '-n', '-c', 'load']);
    assert.deepEqual(comparable(ours), asNagiosSees(theirs));
    assert.equal(ours.state, 1);
    assert.equal(ours.output, 'WARNING - old daemon');
    const versionsSeen = d.queries.map((q) => q.version);
    assert.deepEqual(versionsSeen, [4, 2, 4, 2], 'ours then check_nrpe: v4 refused, then v2');
    await runNrpe(probe(d.port, 'load'), OPTS);
    assert.equal(d.queries.at(-1)?.version, 2, 'second check goes straight to v2');
    assert.equal(d.queries.length, 5);
  });

  it('falls back to v2 when the daemon answers v4 with a v2 packet', async () => {
    const d = await daemon(() => encodeResponse(2, 0, 'OK - v2 only'));
    const ours = await runNrpe(probe(d.port, 'v'), OPTS);
    assert.equal(ours.output, 'OK - v2 only');
    assert.deepEqual(
      d.queries.map((q) => q.version),
      [4, 2],
    );
  });

  it('a packet of another version (v3) is a clear wrong-version error', async () => {
    const d = await daemon(() => {
      const p = encodeResponse(4, 0, 'hello');
      p.writeInt16BE(3, 0);
      return p;
    });
    const ours = await runNrpe(probe(d.port, 'v'), OPTS);
    const theirs = await runCheckNrpe(['-H', '127.0.0.1', '-p', String(d.port), '-n', '-c', 'v']);
    assert.equal(ours.state, 3);
    assert.equal(ours.state, theirs.exitCode);
    assert.match(
      ours.output,
      /127\.0\.0\.1 port \d+ answered with a version 3 packet \(protocol v4 then v2\)/,
    );
  });

  it('sends arguments as check_nrpe -a does (same query on the wire) and reads the answer', async () => {
    const d = await daemon((q) => {
      const [, ...args] = q.query.split('!');
      return encodeResponse(
        q.version === 4 ? 4 : 2,
        Number(args[0]),
        `ARGS ${args.join(',')}|n=${args.length}`,
      );
    });
    const args = ['2', '/var/lib', 'x=y', '50%'];
    const ours = await runNrpe(probe(d.port, 'check_disk', { args }), OPTS);
    const theirs = await runCheckNrpe([
      '-H',
      '127.0.0.1',
      '-p',
      String(d.port),
      '-n',
      '-c',
      'check_disk',
      '-a',
      ...args,
    ]);
    assert.deepEqual(comparable(ours), asNagiosSees(theirs));
    assert.equal(ours.state, 2);
    assert.equal(ours.output, 'ARGS 2,/var/lib,x=y,50%');
    assert.deepEqual(d.queries[0], d.queries[1], 'the same packet version and query as check_nrpe');
    assert.equal(d.queries[0]?.query, 'check_disk!2!/var/lib!x=y!50%');
  });

  it('result codes outside 0..3 become UNKNOWN with a note', async () => {
    const d = await daemon(() => encodeResponse(4, 7, 'odd'));
    const ours = await runNrpe(probe(d.port, 'odd'), OPTS);
    assert.equal(ours.state, 3);
    assert.match(ours.longOutput, /result code 7, outside 0\.\.3/);
  });

  it('an empty answer reads as check_nrpe words it (real nrpe never sends one)', async () => {
    const d = await daemon(() => encodeResponse(4, 0, ''));
    const ours = await runNrpe(probe(d.port, 'e'), OPTS);
    assert.equal(ours.state, 0);
    assert.equal(ours.output, 'CHECK_NRPE: No output returned from daemon.');
  });

  it('a cancelled check ends at once as UNKNOWN', async () => {
    const d = await daemon(() => 'silence');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const ours = await runNrpe(probe(d.port, 'slow'), { ...OPTS, signal: controller.signal });
    assert.equal(ours.state, 3);
    assert.match(ours.output, /cancelled while waiting for the response/);
  });
});

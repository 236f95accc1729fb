import assert from 'node:assert/strict';
import type { LookupFunction } from 'node:net';
import { connect, createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { TcpProbe } from '../../src/core/index.ts';
import { type ProbeContext, runProbe } from '../../src/probes/index.ts';
import {
  blackholeListener,
  close,
  closedPort,
  labelsAndUnits,
  listen,
  runRealPlugin,
} from './helpers/peers.ts';

let server: Server;
let port: number;
let accepted = 0;

function ctx(overrides: Partial<ProbeContext> = {}): ProbeContext {
  return {
    timeoutMs: 10_000,
    timeoutState: 2,
    host: { name: 'db-1', address: '127.0.0.1' },
    pluginDirs: [],
    ...overrides,
  };
}

function tcp(p: number, host = '127.0.0.1'): TcpProbe {
  return { kind: 'tcp', host, port: p };
}

const OK_OUTPUT = /^TCP OK - \d+\.\d{3} second response time on 127\.0\.0\.1 port \d+$/;

before(async () => {
  server = createServer((socket) => {
    accepted++;
    socket.on('error', () => {});
    socket.end();
  });
  port = await listen(server);
});
after(() => close(server));

describe('native tcp probe compared with check_tcp', () => {
  it('an open port: same state, output form, perfdata labels, units, min and max', async () => {
    const real = await runRealPlugin('check_tcp', ['-H', '127.0.0.1', '-p', String(port)]);
    const native = await runProbe(tcp(port), ctx());
    assert.equal(real.state, 0);
    assert.equal(native.state, real.state);
    assert.match(real.output, OK_OUTPUT);
    assert.match(native.output, OK_OUTPUT);
    assert.ok(native.output.endsWith(`port ${port}`));
    assert.deepEqual(labelsAndUnits(native.perfdata), labelsAndUnits(real.perfdata));
    assert.deepEqual(labelsAndUnits(native.perfdata), [['time', 's']]);
    const [n] = native.perfdata;
    const [r] = real.perfdata;
    assert.equal(n!.min, r!.min);
    assert.equal(n!.max, r!.max);
    assert.ok(n!.value > 0 && n!.value < 1);
  });

  it('a refused connection: CRITICAL on both, naming host and port', async () => {
    const closed = await closedPort();
    const real = await runRealPlugin('check_tcp', ['-H', '127.0.0.1', '-p', String(closed)]);
    const native = await runProbe(tcp(closed), ctx());
    assert.equal(real.state, 2);
    assert.equal(native.state, 2);
    assert.equal(native.output, `TCP CRITICAL - Connection refused (127.0.0.1 port ${closed})`);
    assert.deepEqual(native.perfdata, []);
  });

  it('response time thresholds: WARNING and CRITICAL as check_tcp -w/-c', async () => {
    const realWarn = await runRealPlugin('check_tcp', [
      '-H',
      '127.0.0.1',
      '-p',
      String(port),
      '-w',
      '0.000001',
      '-c',
      '5',
    ]);
    const nativeWarn = await runProbe(tcp(port), ctx({ warning: '0.000001', critical: '5' }));
    assert.equal(realWarn.state, 1);
    assert.equal(nativeWarn.state, 1);
    assert.match(nativeWarn.output, /^TCP WARNING - /);
    assert.equal(nativeWarn.perfdata[0]!.warn, '0.000001');
    assert.equal(nativeWarn.perfdata[0]!.crit, '5');

    const realCrit = await runRealPlugin('check_tcp', [
      '-H',
      '127.0.0.1',
      '-p',
      String(port),
      '-w',
      '0.000001',
      '-c',
      '0.000001',
    ]);
    const nativeCrit = await runProbe(tcp(port), ctx({ warning: '0.000001', critical: '0.000001' }));
    assert.equal(realCrit.state, 2);
    assert.equal(nativeCrit.state, 2);
  });

  it('a connect that hangs: timeoutState on both (check_tcp: CRITICAL - Socket timeout)', async () => {
    const blackhole = await blackholeListener();
    try {
      const real = await runRealPlugin('check_tcp', [
        '-H',
        '127.0.0.1',
        '-p',
        String(blackhole.port),
        '-t',
        '1',
      ]);
      assert.equal(real.state, 2);
      assert.match(real.output, /Socket timeout/);
      const started = Date.now();
      const native = await runProbe(tcp(blackhole.port), ctx({ timeoutMs: 300 }));
      assert.ok(Date.now() - started < 1500);
      assert.equal(native.state, 2);
      assert.equal(native.timedOut, true);
      assert.equal(
        native.output,
        `TCP CRITICAL - Socket timeout after 0.30 seconds connecting to 127.0.0.1 port ${blackhole.port}`,
      );
      const asWarning = await runProbe(tcp(blackhole.port), ctx({ timeoutMs: 200, timeoutState: 1 }));
      assert.equal(asWarning.state, 1);
      assert.match(asWarning.output, /^TCP WARNING - Socket timeout after 0\.20 seconds/);
    } finally {
      blackhole.stop();
    }
  });
});

describe('native tcp probe', () => {
  it("uses the host's address when the probe names no host", async () => {
    const result = await runProbe(tcp(port, ''), ctx());
    assert.equal(result.state, 0);
    assert.match(result.output, OK_OUTPUT);
  });

  it('does not look up IP literals, and reports DNS failures naming host and port', async () => {
    let lookups = 0;
    const failing: LookupFunction = (hostname, _options, callback) => {
      lookups++;
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      (callback as (err: NodeJS.ErrnoException | null, address: string, family: number) => void)(
        error,
        '',
        0,
      );
    };
    const literal = await runProbe(tcp(port), ctx({ lookup: failing }));
    assert.equal(literal.state, 0);
    assert.equal(lookups, 0);
    const named = await runProbe(tcp(port, 'db.example.invalid'), ctx({ lookup: failing }));
    assert.equal(lookups, 1);
    assert.equal(named.state, 2);
    assert.match(
      named.output,
      /^TCP CRITICAL - Cannot resolve host 'db\.example\.invalid' \(ENOTFOUND: no such host\) for port \d+/,
    );
  });

  it('rejects invalid thresholds and ports with UNKNOWN saying what is wrong', async () => {
    const badRange = await runProbe(tcp(port), ctx({ warning: 'fast' }));
    assert.equal(badRange.state, 3);
    assert.match(badRange.output, /^TCP UNKNOWN - warning: invalid threshold range 'fast'/);
    const badPort = await runProbe(tcp(70000), ctx());
    assert.equal(badPort.state, 3);
    assert.match(badPort.output, /invalid port 70000 for 127\.0\.0\.1: use 1\.\.65535/);
  });

  it('a thousand checks beside a thousand bare connects close every socket', async () => {
    // Speed is measured by npm run bench, not here: a timed assertion fails on a busy CI machine.
    const bareConnect = (): Promise<void> =>
      new Promise((resolve) => {
        const socket = connect({ host: '127.0.0.1', port, noDelay: true });
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.on('error', () => resolve());
      });
    const rate = async (fn: () => Promise<unknown>, n: number): Promise<number> => {
      const started = performance.now();
      for (let i = 0; i < n; i += 250) await Promise.all(Array.from({ length: 250 }, fn));
      return n / ((performance.now() - started) / 1000);
    };
    const handlesBefore = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    const acceptedBefore = accepted;
    await rate(bareConnect, 1000);
    let ok = 0;
    await rate(async () => {
      if ((await runProbe(tcp(port), ctx())).state === 0) ok++;
    }, 1000);
    assert.equal(ok, 1000);
    const openSockets = () => process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
    let handlesAfter = openSockets();
    for (let waited = 0; handlesAfter > handlesBefore && waited < 2000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
      handlesAfter = openSockets();
    }
    assert.ok(handlesAfter <= handlesBefore, `${handlesAfter} sockets open, ${handlesBefore} before`);
    // The listener accepts them all (it may lag behind the clients by a few).
    for (let waited = 0; accepted - acceptedBefore < 2000 && waited < 3000; waited += 50) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(accepted - acceptedBefore, 2000);
  });
});

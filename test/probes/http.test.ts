import assert from 'node:assert/strict';
import {
  createServer as createHttpServer,
  type IncomingHttpHeaders,
  type RequestListener,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type LookupFunction, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { generate } from 'selfsigned';
import type { HttpProbe } from '../../src/core/index.ts';
import { type ProbeContext, runProbe } from '../../src/probes/index.ts';
import {
  blackholeListener,
  close,
  closedPort,
  labelsAndUnits,
  listen,
  runRealPlugin,
} from './helpers/peers.ts';

const DAY = 86_400_000;
const BIG_BODY = 'a'.repeat(6 * 1024 * 1024) + 'needle-at-the-end';

let plain: Server;
let plainPort: number;
let connections = 0;
let lastHeaders: IncomingHttpHeaders = {};
let requests = 0;
const servers: Server[] = [];
const ports: Record<string, number> = {};

/** Sends with Content-Length, so HTTP/1.0 (check_http) and HTTP/1.1 clients get the same bytes. */
function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, {
    'Content-Type': 'text/plain',
    'Content-Length': String(Buffer.byteLength(body)),
    ...headers,
  });
  res.end(body);
}

const app: RequestListener = (req, res) => {
  requests++;
  lastHeaders = req.headers;
  const url = req.url ?? '/';
  if (url.startsWith('/missing')) {
    send(res, 404, 'not here\n');
  } else if (url === '/error') {
    send(res, 500, 'boom\n');
  } else if (url === '/redirect') {
    send(res, 301, '', { Location: '/' });
  } else if (url === '/created') {
    send(res, 201, 'made\n');
  } else if (url === '/slow') {
    // never answers
  } else if (url === '/big') {
    send(res, 200, BIG_BODY);
  } else {
    send(res, 200, 'hello world\n');
  }
};

function probe(url: string, overrides: Partial<HttpProbe> = {}): HttpProbe {
  return {
    kind: 'http',
    url,
    method: 'GET',
    headers: {},
    expectStatus: [],
    insecure: false,
    certificateWarningDays: 30,
    certificateCriticalDays: 14,
    ...overrides,
  };
}

function ctx(overrides: Partial<ProbeContext> = {}): ProbeContext {
  return {
    timeoutMs: 10_000,
    timeoutState: 2,
    host: { name: 'web-1', address: '127.0.0.1' },
    pluginDirs: [],
    ...overrides,
  };
}

const local = (path = '/') => `http://127.0.0.1:${plainPort}${path}`;
const checkHttp = (...args: string[]) =>
  runRealPlugin('check_http', ['-I', '127.0.0.1', '-p', String(plainPort), ...args]);

async function httpsServer(name: string, key: string, cert: string): Promise<void> {
  const server = createHttpsServer({ key, cert }, app);
  server.on('tlsClientError', () => {});
  servers.push(server);
  ports[name] = await listen(server);
}

const ALT_NAMES = [
  { type: 2 as const, value: 'localhost' },
  { type: 7 as const, ip: '127.0.0.1' },
];

before(async () => {
  plain = createHttpServer(app);
  plain.on('connection', () => connections++);
  plainPort = await listen(plain);

  const now = Date.now();
  const selfSigned = (notBefore: number, notAfter: number) =>
    generate([{ name: 'commonName', value: 'localhost' }], {
      keyType: 'ec',
      algorithm: 'sha256',
      notBeforeDate: new Date(notBefore),
      notAfterDate: new Date(notAfter),
      extensions: [{ name: 'subjectAltName', altNames: ALT_NAMES }],
    });
  const ca = await generate([{ name: 'commonName', value: 'Steward Test CA' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const signed = (
    cn: string,
    altNames: typeof ALT_NAMES | Array<{ type: 2; value: string }>,
    notAfter?: number,
  ) =>
    generate([{ name: 'commonName', value: cn }], {
      keyType: 'ec',
      algorithm: 'sha256',
      ca: { key: ca.private, cert: ca.cert },
      ...(notAfter ? { notBeforeDate: new Date(now - 30 * DAY), notAfterDate: new Date(notAfter) } : {}),
      extensions: [
        { name: 'basicConstraints', cA: false },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
        { name: 'extKeyUsage', serverAuth: true },
        { name: 'subjectAltName', altNames },
      ],
    });
  const [year, fiveDays, expired, trusted, mismatch, trustedExpired] = await Promise.all([
    selfSigned(now - DAY, now + 365 * DAY),
    selfSigned(now - DAY, now + 5 * DAY - 60_000),
    selfSigned(now - 30 * DAY, now - DAY),
    signed('localhost', ALT_NAMES),
    signed('other.example', [{ type: 2, value: 'other.example' }]),
    signed('localhost', ALT_NAMES, now - DAY),
  ]);
  await httpsServer('selfSigned', year.private, year.cert);
  await httpsServer('fiveDays', fiveDays.private, fiveDays.cert);
  await httpsServer('expired', expired.private, expired.cert);
  await httpsServer('trusted', trusted.private, trusted.cert);
  await httpsServer('mismatch', mismatch.private, mismatch.cert);
  await httpsServer('trustedExpired', trustedExpired.private, trustedExpired.cert);
  // The test CA joins the default trust store (this test file runs in its own process).
  setDefaultCACertificates([...getCACertificates('default'), ca.cert]);
});

after(async () => {
  await close(plain);
  await Promise.all(servers.map(close));
});

describe('native http probe compared with check_http', () => {
  const statusCases: Array<[string, number, RegExp]> = [
    ['/', 0, /^HTTP OK: HTTP\/1\.1 200 OK - \d+ bytes in \d+\.\d{3} second response time$/],
    ['/missing', 1, /^HTTP WARNING: HTTP\/1\.1 404 Not Found - \d+ bytes in /],
    ['/error', 2, /^HTTP CRITICAL: HTTP\/1\.1 500 Internal Server Error - \d+ bytes in /],
    ['/redirect', 0, /^HTTP OK: HTTP\/1\.1 301 Moved Permanently - \d+ bytes in /],
  ];
  for (const [path, state, output] of statusCases) {
    it(`GET ${path}: same state, output form, perfdata labels and units, size`, async () => {
      const real = await checkHttp('-u', path);
      const native = await runProbe(probe(local(path)), ctx());
      assert.equal(real.state, state, real.stdout);
      assert.equal(native.state, state, native.output);
      assert.match(native.output, output);
      assert.deepEqual(labelsAndUnits(native.perfdata), labelsAndUnits(real.perfdata));
      assert.deepEqual(labelsAndUnits(native.perfdata), [
        ['time', 's'],
        ['size', 'B'],
      ]);
      // Both count status line, headers and body.
      const size = (r: { perfdata: Array<{ label: string; value: number }> }) =>
        r.perfdata.find((p) => p.label === 'size')!.value;
      assert.equal(size(native), size(real));
      assert.ok(native.output.includes(`- ${size(native)} bytes in`));
      assert.equal(native.perfdata[0]!.max, real.perfdata[0]!.max);
    });
  }

  it('does not follow redirects', async () => {
    const before = requests;
    const result = await runProbe(probe(local('/redirect')), ctx());
    assert.match(result.output, /301 Moved Permanently/);
    assert.equal(requests - before, 1);
  });

  it('expectStatus: anything else is CRITICAL (check_http -e)', async () => {
    const real = await checkHttp('-u', '/', '-e', '201');
    const native = await runProbe(probe(local('/'), { expectStatus: [201] }), ctx());
    assert.equal(real.state, 2);
    assert.equal(native.state, 2);
    assert.match(
      native.output,
      /^HTTP CRITICAL: HTTP\/1\.1 200 OK - expected status 201, got 200 - \d+ bytes/,
    );
    const created = await runProbe(probe(local('/created'), { expectStatus: [200, 201] }), ctx());
    assert.equal(created.state, 0);
    const notFoundExpected = await runProbe(probe(local('/missing'), { expectStatus: [404] }), ctx());
    assert.equal(notFoundExpected.state, 0, 'an expected 404 is OK');
  });

  it('expectBody substring: CRITICAL when absent (check_http -s)', async () => {
    const [realHit, realMiss] = await Promise.all([checkHttp('-s', 'hello'), checkHttp('-s', 'absent')]);
    const hit = await runProbe(probe(local('/'), { expectBody: 'hello' }), ctx());
    const miss = await runProbe(probe(local('/'), { expectBody: 'absent' }), ctx());
    assert.equal(realHit.state, 0);
    assert.equal(hit.state, 0);
    assert.equal(realMiss.state, 2);
    assert.equal(miss.state, 2);
    assert.match(
      miss.output,
      new RegExp(`string 'absent' not found on 'http://127\\.0\\.0\\.1:${plainPort}/'`),
    );
  });

  it('expectBody /regex/flags (check_http -R is case-insensitive)', async () => {
    const real = await checkHttp('-R', 'HEL+O');
    const native = await runProbe(probe(local('/'), { expectBody: '/HEL+O/i' }), ctx());
    assert.equal(real.state, 0);
    assert.equal(native.state, 0);
    const caseSensitive = await runProbe(probe(local('/'), { expectBody: '/HEL+O/' }), ctx());
    assert.equal(caseSensitive.state, 2);
    assert.match(caseSensitive.output, /pattern \/HEL\+O\/ not found/);
    const stateful = probe(local('/'), { expectBody: '/hello/g' });
    for (let i = 0; i < 3; i++)
      assert.equal((await runProbe(stateful, ctx())).state, 0, 'a /g regex matches every time');
  });

  it('response time thresholds (check_http -w/-c)', async () => {
    const real = await checkHttp('-w', '0.000001');
    const native = await runProbe(probe(local('/')), ctx({ warning: '0.000001' }));
    assert.equal(real.state, 1);
    assert.equal(native.state, 1);
    assert.match(native.output, /response time outside warning range '0\.000001'/);
    const critical = await runProbe(probe(local('/')), ctx({ warning: '0.000001', critical: '0.000002' }));
    assert.equal(critical.state, 2);
    assert.equal(critical.perfdata[0]!.warn, '0.000001');
    assert.equal(critical.perfdata[0]!.crit, '0.000002');
  });

  it('connection refused: CRITICAL on both, naming host and port', async () => {
    const closed = await closedPort();
    const real = await runRealPlugin('check_http', ['-I', '127.0.0.1', '-p', String(closed)]);
    const native = await runProbe(probe(`http://127.0.0.1:${closed}/`), ctx());
    assert.equal(real.state, 2);
    assert.equal(native.state, 2);
    assert.equal(native.output, `HTTP CRITICAL - Connection refused (127.0.0.1 port ${closed})`);
  });

  it('a server that never answers: timeoutState, naming host, port and phase', async () => {
    const real = await checkHttp('-u', '/slow', '-t', '1');
    assert.equal(real.state, 2);
    const native = await runProbe(probe(local('/slow')), ctx({ timeoutMs: 300 }));
    assert.equal(native.state, 2);
    assert.equal(native.timedOut, true);
    assert.equal(
      native.output,
      `HTTP CRITICAL - Socket timeout after 0.30 seconds waiting for the response from 127.0.0.1 port ${plainPort}`,
    );
    const unknown = await runProbe(probe(local('/slow')), ctx({ timeoutMs: 200, timeoutState: 3 }));
    assert.equal(unknown.state, 3);
  });

  it('a connect that hangs times out "connecting to"', async () => {
    const blackhole = await blackholeListener();
    try {
      const native = await runProbe(probe(`http://127.0.0.1:${blackhole.port}/`), ctx({ timeoutMs: 200 }));
      assert.equal(native.state, 2);
      assert.match(
        native.output,
        new RegExp(
          `Socket timeout after 0\\.20 seconds connecting to 127\\.0\\.0\\.1 port ${blackhole.port}$`,
        ),
      );
    } finally {
      blackhole.stop();
    }
  });

  it('size counts the message as received, chunk framing included, like check_http', async () => {
    const response =
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n' +
      '6\r\nhello \r\n6\r\nworld\n\r\n0\r\n\r\n';
    const raw = createTcpServer((socket) => {
      socket.on('error', () => {});
      socket.resume();
      socket.end(response);
    });
    const port = await listen(raw);
    try {
      const real = await runRealPlugin('check_http', ['-I', '127.0.0.1', '-p', String(port)]);
      const native = await runProbe(probe(`http://127.0.0.1:${port}/`, { expectBody: 'hello world' }), ctx());
      assert.equal(native.state, 0, native.output);
      const size = (r: { perfdata: Array<{ label: string; value: number }> }) =>
        r.perfdata.find((p) => p.label === 'size')!.value;
      assert.equal(size(native), response.length);
      assert.equal(size(native), size(real));
    } finally {
      await close(raw);
    }
  });

  it('an invalid HTTP response is CRITICAL on both', async () => {
    const garbage = createTcpServer((socket) => {
      socket.on('error', () => {});
      socket.resume(); // read the request, and so notice when the client closes
      socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n');
    });
    const port = await listen(garbage);
    try {
      const real = await runRealPlugin('check_http', ['-I', '127.0.0.1', '-p', String(port)]);
      const native = await runProbe(probe(`http://127.0.0.1:${port}/`), ctx());
      assert.equal(real.state, 2);
      assert.equal(native.state, 2);
      assert.match(
        native.output,
        new RegExp(
          `^HTTP CRITICAL - Invalid HTTP response received from 127\\.0\\.0\\.1 port ${port}: .*HPE_`,
        ),
      );
    } finally {
      await close(garbage);
    }
  });
});

describe('native http probe', () => {
  it('opens a fresh connection per check and asks the server to close it', async () => {
    const before = connections;
    for (let i = 0; i < 3; i++) assert.equal((await runProbe(probe(local('/')), ctx())).state, 0);
    assert.equal(connections - before, 3);
    assert.equal(lastHeaders.connection, 'close');
  });

  it('sends method and headers, uses URL credentials, and never prints them or the query', async () => {
    const url = `http://monitor:s3cret-pw@127.0.0.1:${plainPort}/missing?token=abc123`;
    const result = await runProbe(
      probe(url, { method: 'HEAD', headers: { 'X-Probe': 'steward' }, expectStatus: [200] }),
      ctx(),
    );
    assert.equal(result.state, 2);
    assert.equal(lastHeaders['x-probe'], 'steward');
    assert.equal(lastHeaders.authorization, `Basic ${Buffer.from('monitor:s3cret-pw').toString('base64')}`);
    const everything = JSON.stringify(result);
    assert.ok(!everything.includes('s3cret'), everything);
    assert.ok(!everything.includes('abc123'), everything);
    assert.match(result.output, /HTTP\/1\.1 404 Not Found - expected status 200, got 404/);
  });

  it('counts a huge body without keeping it all', async () => {
    const result = await runProbe(probe(local('/big'), { expectBody: 'needle-at-the-end' }), ctx());
    assert.equal(result.state, 2);
    assert.match(
      result.output,
      /string 'needle-at-the-end' not found .* \(searched the beginning of the body only\)/,
    );
    const size = result.perfdata.find((p) => p.label === 'size')!.value;
    assert.ok(size > BIG_BODY.length, `size ${size}`);
  });

  it('reports DNS failures naming host and port', async () => {
    const failing: LookupFunction = (hostname, _options, callback) => {
      const error = Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
      (callback as (err: NodeJS.ErrnoException | null, address: string, family: number) => void)(
        error,
        '',
        0,
      );
    };
    const result = await runProbe(probe('http://app.example.invalid:8080/health'), ctx({ lookup: failing }));
    assert.equal(result.state, 2);
    assert.equal(
      result.output,
      "HTTP CRITICAL - Cannot resolve host 'app.example.invalid' (ENOTFOUND: no such host) for port 8080 — check the name and DNS",
    );
  });

  it('an abort signal cancels a request in flight', async () => {
    const controller = new AbortController();
    const running = runProbe(probe(local('/slow')), ctx({ signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);
    const result = await running;
    assert.equal(result.state, 3);
    assert.equal(
      result.output,
      `HTTP UNKNOWN - check cancelled while waiting for the response from 127.0.0.1 port ${plainPort}`,
    );
  });

  it('configuration errors are UNKNOWN saying what to fix', async () => {
    const badRegex = await runProbe(probe(local('/'), { expectBody: '/[unclosed/' }), ctx());
    assert.equal(badRegex.state, 3);
    assert.match(badRegex.output, /expectBody \/\[unclosed\/ is not a valid regular expression/);
    const badUrl = await runProbe(probe('not a url'), ctx());
    assert.equal(badUrl.state, 3);
    assert.match(badUrl.output, /not a valid absolute URL/);
    const badScheme = await runProbe(probe('ftp://127.0.0.1/'), ctx());
    assert.match(badScheme.output, /unsupported URL scheme ftp:/);
    const badRange = await runProbe(probe(local('/')), ctx({ critical: '5:1' }));
    assert.equal(badRange.state, 3);
    assert.match(badRange.output, /critical: invalid threshold range '5:1'/);
  });
});

describe('native https probe', () => {
  const https = (name: string, path = '/') => `https://127.0.0.1:${ports[name]}${path}`;
  const certDays = (r: { perfdata: Array<{ label: string; value: number }> }) =>
    r.perfdata.find((p) => p.label === 'cert_days')?.value;

  it('a self-signed certificate is CRITICAL unless insecure, and days left are always reported', async () => {
    const strict = await runProbe(probe(https('selfSigned')), ctx());
    assert.equal(strict.state, 2);
    assert.match(
      strict.output,
      new RegExp(
        `^HTTP CRITICAL - TLS certificate of 127\\.0\\.0\\.1 port ${ports.selfSigned} not accepted: the certificate is self-signed \\(DEPTH_ZERO_SELF_SIGNED_CERT\\) — .*insecure: true`,
      ),
    );
    assert.ok([364, 365].includes(certDays(strict)!), String(certDays(strict)));

    const real = await runRealPlugin('check_http', ['-S', '-I', '127.0.0.1', '-p', String(ports.selfSigned)]);
    const insecure = await runProbe(probe(https('selfSigned'), { insecure: true }), ctx());
    assert.equal(real.state, 0);
    assert.equal(insecure.state, 0, insecure.output);
    assert.match(insecure.output, /^HTTP OK: HTTP\/1\.1 200 OK - \d+ bytes in/);
    assert.match(
      insecure.longOutput,
      /Certificate not verified \(insecure: true\): the certificate is self-signed/,
    );
    assert.deepEqual(labelsAndUnits(insecure.perfdata), [
      ...labelsAndUnits(real.perfdata),
      ['cert_days', ''],
    ]);
  });

  it('a certificate expiring in 5 days: CRITICAL at 14 days, WARNING between, naming the date (check_http -C)', async () => {
    const real = await runRealPlugin('check_http', [
      '-S',
      '-I',
      '127.0.0.1',
      '-p',
      String(ports.fiveDays),
      '-C',
      '30,14',
    ]);
    const native = await runProbe(probe(https('fiveDays'), { insecure: true }), ctx());
    assert.equal(real.state, 2);
    assert.match(real.output, /expires in 4 day\(s\)/);
    assert.equal(native.state, 2);
    assert.match(
      native.output,
      /^HTTP CRITICAL: HTTP\/1\.1 200 OK - certificate 'localhost' expires in 4 day\(s\) \(\d{4}-\d\d-\d\d \d\d:\d\d \+0000\) - \d+ bytes/,
    );
    assert.equal(certDays(native), 4);

    const realWarn = await runRealPlugin('check_http', [
      '-S',
      '-I',
      '127.0.0.1',
      '-p',
      String(ports.fiveDays),
      '-C',
      '30,3',
    ]);
    const warn = await runProbe(
      probe(https('fiveDays'), { insecure: true, certificateWarningDays: 30, certificateCriticalDays: 3 }),
      ctx(),
    );
    assert.equal(realWarn.state, 1);
    assert.equal(warn.state, 1);
    const ok = await runProbe(
      probe(https('fiveDays'), { insecure: true, certificateWarningDays: 3, certificateCriticalDays: 1 }),
      ctx(),
    );
    assert.equal(ok.state, 0);
    assert.equal(certDays(ok), 4);
  });

  it('an expired certificate is CRITICAL naming the expiry date, even with insecure', async () => {
    const real = await runRealPlugin('check_http', [
      '-S',
      '-I',
      '127.0.0.1',
      '-p',
      String(ports.expired),
      '-C',
      '30,14',
    ]);
    const native = await runProbe(probe(https('expired'), { insecure: true }), ctx());
    assert.equal(real.state, 2);
    assert.equal(native.state, 2);
    assert.match(native.output, /certificate 'localhost' expired on \d{4}-\d\d-\d\d \d\d:\d\d \+0000/);
    assert.ok(certDays(native)! < 0);
  });

  it('a trusted certificate verifies; an expired trusted one is CRITICAL "has expired"', async () => {
    const trusted = await runProbe(probe(https('trusted')), ctx());
    assert.equal(trusted.state, 0, trusted.output);
    assert.ok(!trusted.longOutput.includes('not verified'));
    assert.match(trusted.longOutput, /^Certificate 'localhost' issued by 'Steward Test CA' valid until/);
    const expired = await runProbe(probe(https('trustedExpired')), ctx());
    assert.equal(expired.state, 2);
    assert.match(expired.output, /not accepted: the certificate has expired \(CERT_HAS_EXPIRED\)/);
  });

  it('a hostname mismatch is CRITICAL naming the names the certificate has', async () => {
    const native = await runProbe(probe(https('mismatch')), ctx());
    assert.equal(native.state, 2);
    assert.match(native.output, /not accepted: .*127\.0\.0\.1.*\(ERR_TLS_CERT_ALTNAME_INVALID\)/);
    assert.equal(lastHeaders['x-must-not-arrive'], undefined);
    const before = requests;
    await runProbe(probe(https('mismatch'), { headers: { Authorization: 'Bearer secret' } }), ctx());
    assert.equal(requests, before, 'no request (and no credentials) is sent to an unverified server');
  });

  it('HTTPS to a plain HTTP port fails the TLS handshake with a clear CRITICAL', async () => {
    const native = await runProbe(probe(`https://127.0.0.1:${plainPort}/`), ctx());
    assert.equal(native.state, 2);
    assert.match(
      native.output,
      new RegExp(`^HTTP CRITICAL - TLS handshake with 127\\.0\\.0\\.1 port ${plainPort} failed: `),
    );
  });
});

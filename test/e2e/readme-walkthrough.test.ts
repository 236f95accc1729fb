import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { joinNegativeValues } from '../../src/cli/args.ts';
import { freePort, ROOT, StewardServer, steward, tempDir } from '../helpers/steward-server.ts';

/**
 * What the README's first steps promise: `npm start` monitors the server itself (its own port is
 * UP from the first check), `steward status` and `steward report` read ./data without --spec,
 * `steward report --from -30d` as its help writes it, `steward reload --timeout`, and a port in use
 * ends `steward serve` with a clear error instead of a process that checks with no API.
 */
let server: StewardServer;

const spec = (port: number) => `
deployment: walkthrough
operatorNetworks: [127.0.0.0/8]
defaults: { interval: 1h, retryInterval: 1h, maxAttempts: 3, timeout: 5s }
environments:
  - name: prod
    hosts:
      - name: self
        address: 127.0.0.1
        hostCheck: { tcp: { port: ${port} } }
        checks:
          - { name: https-port, tcp: { port: ${port} } }
`;

before(async () => {
  const port = await freePort();
  server = new StewardServer(spec(port));
  server.port = port;
  await server.start();
});
after(async () => {
  await server.cleanup();
});

describe('README walkthrough', () => {
  it("checks the server's own port only once it listens: UP at the first check", async () => {
    const deadline = Date.now() + 30_000;
    let host: any;
    while (Date.now() < deadline) {
      const r = await server.get('/api/v1/hosts/self');
      host = r.body.host ?? r.body;
      if (host?.lastCheck) break;
      await sleep(100);
    }
    assert.ok(host?.lastCheck, 'the host was checked');
    assert.equal(host.state, 'UP', host.output);
  });

  it('steward status reads the data directory with the spec its server runs, without --spec', () => {
    const r = steward(['status', '--all', '--data', server.dataDir], { cwd: tempDir() });
    assert.equal(r.code, 0, r.stderr);
    const selfRow = r.stdout.split('\n').find((l) => /\bself\s+\(host\)/.test(l));
    assert.ok(selfRow, r.stdout);
    assert.match(selfRow, /^prod\s/, 'the environment comes from the served spec');
    assert.match(selfRow, /\/3\b/, 'maxAttempts comes from the served spec');
  });

  it('steward status shows what has not been checked yet as PENDING, not OK', () => {
    const r = steward(['status', '--all', '--data', server.dataDir]);
    const pendingRow = r.stdout.split('\n').find((l) => /\bself\s+https-port\b/.test(l));
    assert.ok(pendingRow, r.stdout);
    // interval 1h, spread: the service's first check is half an hour away
    assert.match(pendingRow, /\sPENDING\s/);
    assert.match(pendingRow, /Pending: not checked yet/);
  });

  it('steward report --from -1d (a relative time as a separate argument), without --spec', () => {
    const r = steward(['report', '--environment', 'prod', '--from', '-1d', '--data', server.dataDir], {
      cwd: tempDir(),
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^environment,host,service,sla_percent/);
    assert.match(r.stdout, /prod,self,https-port,/);
    // The server started seconds ago: nearly all of the day is "not monitored", not OK.
    const header = r.stdout.split('\n')[0]!.split(',');
    const row = r.stdout
      .split('\n')
      .find((l: string) => l.startsWith('prod,self,https-port,'))!
      .split(',');
    const notMonitored = Number(row[header.indexOf('not_monitored_s')]);
    assert.ok(notMonitored > 86_000 && notMonitored <= 86_400, `not_monitored_s ${notMonitored}`);
    // The host was checked at start: monitored from its first check on, UP since (SLA 100 % of that).
    const host = r.stdout
      .split('\n')
      .find((l: string) => l.startsWith('prod,self,,'))!
      .split(',');
    const hostNotMonitored = Number(host[header.indexOf('not_monitored_s')]);
    assert.ok(
      hostNotMonitored > 86_000 && hostNotMonitored < 86_400,
      `host not_monitored_s ${hostNotMonitored}`,
    );
    assert.ok(Number(host[header.indexOf('ok_or_up_s')]) > 0, host.join(','));
  });

  it('steward reload --timeout, as its help shows', () => {
    const r = steward(['reload', '--data', server.dataDir, '--timeout', '20s']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^reloaded: 0 added, 0 removed, 0 changed/);
    const bad = steward(['reload', '--data', server.dataDir, '--timeout', 'soon']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--timeout "soon" is not a duration/);
  });

  it('steward serve on a port in use exits 1 and says so, instead of running checks with no API', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((done) =>
      blocker.listen(0, '127.0.0.1', () => done((blocker.address() as { port: number }).port)),
    );
    try {
      const dir = tempDir();
      const other = new StewardServer(spec(port), dir);
      const r = steward([
        'serve',
        '--spec',
        other.specFile,
        '--data',
        other.dataDir,
        '--listen',
        `127.0.0.1:${port}`,
      ]);
      assert.equal(r.code, 1, `exit code (-1: still running after 60 s)\n${r.stderr}`);
      assert.match(r.stderr, new RegExp(`127\\.0\\.0\\.1:${port} is in use .*--listen`));
      await other.cleanup();
    } finally {
      blocker.close();
    }
  });
});

describe('steward backup runbook', () => {
  it('names the spec as given, not an absolute path of the machine that wrote it', () => {
    const out = join(tempDir(), 'dr.md');
    const r = steward([
      'backup',
      'runbook',
      '--spec',
      'examples/acme.yaml',
      '--data',
      tempDir(),
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(out, 'utf8');
    assert.match(text, /steward backup restore apim-db --spec examples\/acme\.yaml --snapshot latest/);
    assert.ok(!text.includes(ROOT), 'no absolute path of this checkout');
  });
});

describe('joinNegativeValues', () => {
  const options = { from: { type: 'string' as const }, all: { type: 'boolean' as const } };
  it('joins a string option with a value that starts with a dash and a digit', () => {
    assert.deepEqual(joinNegativeValues(['--from', '-30d', 'x'], options), ['--from=-30d', 'x']);
  });
  it('leaves option names, booleans, joined values and everything after -- alone', () => {
    assert.deepEqual(joinNegativeValues(['--from', '--all'], options), ['--from', '--all']);
    assert.deepEqual(joinNegativeValues(['--all', '-1'], options), ['--all', '-1']);
    assert.deepEqual(joinNegativeValues(['--from=-1d'], options), ['--from=-1d']);
    assert.deepEqual(joinNegativeValues(['--', '--from', '-1d'], options), ['--', '--from', '-1d']);
  });
});

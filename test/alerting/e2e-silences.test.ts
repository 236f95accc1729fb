import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, test } from 'node:test';
import { STEWARD, StewardServer, steward } from '../helpers/steward-server.ts';

/** The CLI run asynchronously: the receivers live in this process and must keep answering. */
function stewardAsync(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [STEWARD, ...args], { encoding: 'utf8' }, (err, stdout, stderr) => {
      done({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

import { RecordingReceiver } from './recording-receiver.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function spec(hookUrl: string): string {
  return `
deployment: acme
operatorNetworks: [127.0.0.0/8]
environments:
  - name: prod
    hosts:
      - name: web-1
        address: 127.0.0.1
        checks: [{ name: app, passive: {}, maxAttempts: 1, freshness: 1h }]
      - name: web-2
        address: 127.0.0.1
        checks: [{ name: app, passive: {}, maxAttempts: 1, freshness: 1h }]
alerting:
  groupWait: 0s
  groupInterval: 1s
  groupBy: [host]
  receivers:
    - name: hook
      webhook: { url: "${hookUrl}" }
`;
}

test('silences (API and CLI) mute matching alerts until they expire; notify test prints the answer', async () => {
  const hook = await new RecordingReceiver(() => ({ status: 200, body: '{"accepted":true}' })).start();
  const server = new StewardServer(spec(hook.url('/hook')));
  cleanups.push(
    () => hook.stop(),
    () => server.cleanup(),
  );
  await server.start();

  const created = await server.post('/api/v1/silences', {
    matchers: { host: 'web-1' },
    duration: '1h',
    comment: 'deploying',
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  assert.equal(created.body.author, 'test', 'the token name is the author');
  assert.equal(created.body.active, true);
  const cli = steward([
    'silence',
    'add',
    'host=~web-2',
    '--duration',
    '30m',
    '--author',
    'ann',
    '--comment',
    'db work',
    '--data',
    server.dataDir,
  ]);
  assert.equal(cli.code, 0, cli.stderr);
  assert.match(cli.stdout, /^silence #2 until .* by ann/);
  const listed = steward(['silence', 'list', '--data', server.dataDir]);
  assert.match(listed.stdout, /#1\tactive\thost=web-1\t.*\ttest\tdeploying/);
  assert.match(listed.stdout, /#2\tactive\thost=~web-2\t.*\tann\tdb work/);
  const badRegex = await server.post('/api/v1/silences', { matchers: { host: '~(' }, duration: '1h' });
  assert.equal(badRegex.status, 400);
  assert.match(badRegex.body.message, /not a regular expression/);

  for (const host of ['web-1', 'web-2']) {
    await server.post('/api/v1/results', { host, service: 'app', state: 'CRITICAL', output: 'down' });
  }
  await sleep(2000);
  assert.equal(hook.received.length, 0, 'both problems are silenced');

  const expired = await server.request('DELETE', '/api/v1/silences/1');
  assert.equal(expired.status, 200);
  assert.equal(expired.body.active, false);
  const got = await hook.waitFor((r) => r.length >= 1, 5000);
  assert.deepEqual(
    got[0]!.body.alerts.map((a: any) => a.labels.host),
    ['web-1'],
  );
  assert.equal(steward(['silence', 'expire', '2', '--data', server.dataDir]).code, 0);
  await hook.waitFor((r) => r.some((x) => x.body.alerts[0].labels.host === 'web-2'), 5000);
  const left = await server.get('/api/v1/silences');
  assert.equal(left.body.length, 0, JSON.stringify(left.body));
  assert.equal((await server.get('/api/v1/silences?all=true')).body.length, 2);

  const test1 = await stewardAsync(['notify', 'test', 'hook', '--spec', server.specFile]);
  assert.equal(test1.code, 0, test1.stderr);
  assert.match(
    test1.stdout,
    /webhook receiver hook accepted the test in \d+ ms:\nHTTP 200 \{"accepted":true\}/,
  );
  hook.answer = () => ({ status: 429, body: 'slow down', headers: { 'retry-after': '7' } });
  const test2 = await stewardAsync(['notify', 'test', 'hook', '--spec', server.specFile]);
  assert.equal(test2.code, 1);
  assert.match(test2.stdout, /refused the test .*\nHTTP 429 slow down\n\(it asks to retry after 7000 ms\)/);
  const unknown = steward(['notify', 'test', 'nope', '--spec', server.specFile]);
  assert.match(unknown.stderr, /no receiver named "nope"; receivers: hook/);
});

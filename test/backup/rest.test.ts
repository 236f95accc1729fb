import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { REST_V2, ResticRestServer } from '../helpers/restic-rest-server.ts';
import { backupFixture } from './fixture.ts';

test('REST backend (rest: URL, API v2): back up twice, list, restore each snapshot byte for byte, drill and check', async () => {
  const f = backupFixture('', { repository: 'PLACEHOLDER' });
  const server = new ResticRestServer({ root: join(f.dir, 'rest') });
  const base = await server.start();
  try {
    const src = join(f.dir, 'src');
    mkdirSync(join(src, 'conf'), { recursive: true });
    writeFileSync(join(src, 'conf', 'deployment.toml'), '[server]\nhostname = "apim-1"\n');
    writeFileSync(join(src, 'keystore.jks'), Buffer.alloc(3 * 1024 * 1024, 7));
    writeFileSync(
      f.spec,
      readFileSync(f.spec, 'utf8').replace("'PLACEHOLDER'", `'rest:${base}/acme/prod/'`) +
        `    - name: conf
      repository: local
      files: { paths: ['${src}'] }
      schedule: '@daily'
      keepDaily: 3
      rpoTarget: 1h
`,
    );
    const first = await f.backupAsync(['run', 'conf']);
    assert.equal(first.code, 0, first.stderr);
    writeFileSync(join(src, 'conf', 'deployment.toml'), '[server]\nhostname = "apim-2"\n');
    const second = await f.backupAsync(['run', 'conf']);
    assert.equal(second.code, 0, second.stderr);

    const snapshots = JSON.parse((await f.backupAsync(['snapshots', 'conf', '--json'])).stdout) as {
      id: string;
    }[];
    assert.equal(snapshots.length, 2);
    for (const [i, hostname] of ['apim-1', 'apim-2'].entries()) {
      const out = join(f.dir, `out-${i}`);
      const r = await f.backupAsync(['restore', 'conf', '--snapshot', snapshots[i]!.id, '--to', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        readFileSync(join(out, src, 'conf', 'deployment.toml'), 'utf8'),
        `[server]\nhostname = "${hostname}"\n`,
      );
      assert.ok(readFileSync(join(out, src, 'keystore.jks')).equals(Buffer.alloc(3 * 1024 * 1024, 7)));
    }
    const drill = await f.backupAsync(['drill', 'conf']);
    assert.equal(drill.code, 0, drill.stderr);
    assert.match(drill.stdout, /^RPO \S+ \(target 1h\)$/m);
    assert.equal((await f.backupAsync(['check', 'conf'])).code, 0);

    // Everything went through the REST server: the repository lives under the URL's path, and
    // restic spoke API v2 (listings with sizes) and read packs with ranges.
    assert.ok(readFileSync(join(f.dir, 'rest', 'acme', 'prod', 'config')).length > 0);
    assert.ok(
      server.requests.some(
        (r) => r.method === 'GET' && r.path.endsWith('/snapshots/') && r.accept === REST_V2,
      ),
    );
    assert.ok(
      server.requests.some((r) => r.method === 'POST' && r.path.includes('/data/') && r.status === 200),
    );
    assert.ok(
      server.requests.some((r) => r.status === 206),
      'ranged reads of packs',
    );
    assert.ok(!server.requests.some((r) => r.status >= 500), 'no server errors');

    const wrong = await f.backupAsync(['snapshots', 'conf'], { STEWARD_TEST_RESTIC_PASSWORD: 'wrong' });
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /wrong password/);
  } finally {
    await server.close();
    rmSync(f.dir, { recursive: true, force: true });
  }
});

test('a REST server that wants credentials: a clear "refused access" error naming the variables restic reads, not "no repository"', async () => {
  const f = backupFixture(
    `    - name: conf
      repository: local
      files: { paths: ['/etc/hostname'] }
      schedule: '@daily'
`,
    { repository: 'PLACEHOLDER' },
  );
  const server = new ResticRestServer({ root: join(f.dir, 'rest'), users: { backup: 'rest-secret' } });
  const base = await server.start();
  try {
    writeFileSync(f.spec, readFileSync(f.spec, 'utf8').replace("'PLACEHOLDER'", `'rest:${base}/acme/'`));
    const run = await f.backupAsync(['run', 'conf']);
    assert.equal(run.code, 1);
    assert.match(run.stderr, /the repository server refused access \(.*401 Unauthorized/);
    assert.match(run.stderr, /RESTIC_REST_USERNAME and RESTIC_REST_PASSWORD/);
    assert.doesNotMatch(run.stderr, /there is no restic repository/);
    assert.ok(
      server.requests.every((r) => r.status === 401),
      'nothing was written',
    );
  } finally {
    await server.close();
    rmSync(f.dir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import S3rver from 's3rver';
import { backupFixture } from './fixture.ts';

test("S3 backend (s3rver over HTTPS): back up, list, restore byte for byte; credentials come from restic's AWS variables", async () => {
  const f = backupFixture('', { repository: 'PLACEHOLDER' });
  // minio-go signs streamed uploads over plain HTTP in a way s3rver does not decode; HTTPS avoids it.
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      join(f.dir, 'key.pem'),
      '-out',
      join(f.dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory: join(f.dir, 's3'),
    key: readFileSync(join(f.dir, 'key.pem')),
    cert: readFileSync(join(f.dir, 'cert.pem')),
    configureBuckets: [{ name: 'acme-backup' }],
  });
  const { port } = await server.run();
  try {
    const src = join(f.dir, 'src');
    mkdirSync(join(src, 'tenants'), { recursive: true });
    writeFileSync(join(src, 'tenants', 't1.json'), '{"tenant":1}\n');
    writeFileSync(
      f.spec,
      readFileSync(f.spec, 'utf8').replace(
        "repository: 'PLACEHOLDER',",
        `repository: 's3:https://127.0.0.1:${port}/acme-backup/steward', caCert: '${join(f.dir, 'cert.pem')}',`,
      ) +
        `    - name: tenants
      repository: local
      files: { paths: ['${src}'] }
      schedule: '@daily'
      keepDaily: 3
`,
    );
    const aws = { AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' };
    const run = await f.backupAsync(['run', 'tenants'], aws);
    assert.equal(run.code, 0, run.stderr);
    const snapshots = JSON.parse((await f.backupAsync(['snapshots', 'tenants', '--json'], aws)).stdout) as {
      id: string;
    }[];
    assert.equal(snapshots.length, 1);
    const out = join(f.dir, 'out');
    const restore = await f.backupAsync(
      ['restore', 'tenants', '--snapshot', snapshots[0]!.id, '--to', out],
      aws,
    );
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal(readFileSync(join(out, src, 'tenants', 't1.json'), 'utf8'), '{"tenant":1}\n');
    assert.equal((await f.backupAsync(['check', 'tenants'], aws)).code, 0);
  } finally {
    await server.close();
    rmSync(f.dir, { recursive: true, force: true });
  }
});

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { generateKey, startSshd, stopAll } from '../gateway/helpers/openssh.ts';
import { backupFixture } from './fixture.ts';

after(stopAll);

test('sftp backend through a real sshd: back up, restore byte for byte', async () => {
  const f = backupFixture('', { repository: 'PLACEHOLDER' });
  try {
    const key = generateKey(f.dir, 'backup_key');
    const sshd = await startSshd(join(f.dir, 'sshd'), ['127.0.0.1'], [key.publicLine]);
    const repo = join(f.dir, 'remote-repo');
    const ssh = `ssh -p ${sshd.port} -i ${key.privatePath} -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR root@127.0.0.1 -s sftp`;
    const src = join(f.dir, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'conf.xml'), '<config a="1"/>\n');
    writeFileSync(
      f.spec,
      readFileSync(f.spec, 'utf8').replace(
        "repository: 'PLACEHOLDER',",
        `repository: 'sftp:root@127.0.0.1:${repo}', options: { sftp.command: '${ssh}' },`,
      ) +
        `    - name: conf
      repository: local
      files: { paths: ['${src}'] }
      schedule: '@daily'
      keepDaily: 3
`,
    );
    const run = f.backup(['run', 'conf']);
    assert.equal(run.code, 0, run.stderr);
    const restored = join(f.dir, 'out');
    const restore = f.backup(['restore', 'conf', '--snapshot', 'latest', '--to', restored]);
    assert.equal(restore.code, 0, restore.stderr);
    assert.equal(readFileSync(join(restored, src, 'conf.xml'), 'utf8'), '<config a="1"/>\n');
    // The repository really is on the far side of sshd.
    assert.ok(readFileSync(join(repo, 'config')).length > 0);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
});

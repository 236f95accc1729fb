import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PluginProbe } from '../../src/core/index.ts';
import { type ProbeContext, runProbe } from '../../src/probes/index.ts';
import { PluginSpawnerPool, usePluginSpawnerPool } from '../../src/probes/plugin/index.ts';

let dir: string;
const ctx: ProbeContext = {
  timeoutMs: 5000,
  timeoutState: 2,
  host: { name: 'web-1', address: '127.0.0.1' },
  pluginDirs: ['/usr/lib/nagios/plugins'],
};

function script(name: string, body: string): PluginProbe {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return { kind: 'plugin', command: path, args: [] };
}

function parentOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'steward-spawners-'));
});
after(() => {
  usePluginSpawnerPool(undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe('plugin spawner pool', () => {
  it('forks plugins from its spawner processes, spread over all of them, not from the server', async () => {
    const pool = new PluginSpawnerPool(2);
    usePluginSpawnerPool(pool);
    try {
      const probe = script('whose-child', 'echo "OK parent=$PPID"; sleep 0.3');
      const results = await Promise.all(Array.from({ length: 8 }, () => runProbe(probe, ctx)));
      const parents = new Set(results.map((r) => Number(r.output.split('=')[1])));
      assert.equal(parents.size, 2, `parents: ${[...parents]}`);
      for (const parent of parents) {
        assert.notEqual(parent, process.pid);
        assert.equal(parentOf(parent), process.pid, 'each spawner is a child of the server');
      }
      assert.deepEqual(pool.stats(), { processes: 2, inFlight: 0, restarts: 0 });
    } finally {
      usePluginSpawnerPool(undefined);
      await pool.stop();
    }
    assert.equal(pool.stats().processes, 0, 'stop() waits for the spawners to exit');
  });

  it('a spawner that dies ends its checks UNKNOWN with the reason, and is replaced', async () => {
    const pool = new PluginSpawnerPool(1);
    usePluginSpawnerPool(pool);
    try {
      const pidFile = join(dir, 'victim.pid');
      const running = runProbe(script('victim', `echo $PPID > ${pidFile}\nsleep 5`), ctx);
      const deadline = Date.now() + 5000;
      let spawnerPid = 0;
      while (spawnerPid === 0 && Date.now() < deadline) {
        try {
          spawnerPid = Number(readFileSync(pidFile, 'utf8'));
        } catch {
          await sleep(20);
        }
      }
      process.kill(spawnerPid, 'SIGKILL');
      const result = await running;
      assert.equal(result.state, 3);
      assert.match(result.output, /plugin spawner process \d+ was killed by SIGKILL while the plugin ran/);
      const next = await runProbe({ kind: 'plugin', command: 'check_dummy', args: ['0', 'fine'] }, ctx);
      assert.equal(next.output, 'OK: fine');
      assert.equal(pool.stats().restarts, 1);
    } finally {
      usePluginSpawnerPool(undefined);
      await pool.stop();
    }
  });

  it('stopping the pool stops the plugins still running', async () => {
    const pool = new PluginSpawnerPool(1);
    usePluginSpawnerPool(pool);
    const pidFile = join(dir, 'orphan.pid');
    const running = runProbe(script('orphan', `echo $$ > ${pidFile}\nsleep 30`), ctx);
    const deadline = Date.now() + 5000;
    let pluginPid = 0;
    while (pluginPid === 0 && Date.now() < deadline) {
      try {
        pluginPid = Number(readFileSync(pidFile, 'utf8'));
      } catch {
        await sleep(20);
      }
    }
    usePluginSpawnerPool(undefined);
    await pool.stop();
    const result = await running;
    assert.equal(result.state, 3);
    const gone = Date.now() + 3000;
    while (Date.now() < gone) {
      try {
        process.kill(pluginPid, 0);
        await sleep(20);
      } catch {
        return;
      }
    }
    assert.fail(`plugin ${pluginPid} still runs after the pool stopped`);
  });
});

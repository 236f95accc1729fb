// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fixtures contain ${ENV} references on purpose
/**
 * `steward render host` round trip: render a test host's agent configs without the secrets,
 * install them with install.sh (secrets from its environment) under a temporary root, start the
 * real snmpd and nrpe on those files (loopback ports), run Steward's checks against them and
 * compare with snmpget; a source outside the monitoring subnet (127.0.0.2) gets nothing.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { runProbe } from '../../src/probes/index.ts';
import { pollHostMetrics } from '../../src/probes/snmp/index.ts';
import { renderSnmpdConf } from '../../src/render/index.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { steward } from '../helpers/steward-server.ts';
import { freeTcpPort, NRPE_DAEMON } from '../probes-nrpe/nrpe-peers.ts';
import { freeUdpPort, SNMPD } from '../probes-snmp/snmpd-peer.ts';

const run = promisify(execFile);
const SECRET = 'rt-community-Zx81q';
let dir = '';
let specFile = '';
let snmpPort = 0;
let nrpePort = 0;
const daemons: ChildProcess[] = [];
const marker = `steward-rt-nojvm-${process.pid}`;

function spec(): string {
  return `
deployment: rt
operatorNetworks: [127.0.0.0/8]
monitoring: { subnet: 127.0.0.1/32 }
environments:
  - name: lab
    snmp: { community: "\${RT_COMMUNITY}", port: ${snmpPort} }
    hosts:
      - name: box
        address: 127.0.0.1
        roles: [linux]
        checks:
          - { name: fine, nrpe: { command: check_fine, plugin: check_dummy, args: ["1", "disk getting full; really"], port: ${nrpePort} } }
          - { name: heap, jvm: { metric: heap, nrpe: { command: check_app_heap, args: [-m, ${marker}], port: ${nrpePort} } } }
`;
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'steward-render-'));
  chmodSync(dir, 0o755); // nrpe runs its plugins as nagios
  snmpPort = await freeUdpPort();
  nrpePort = await freeTcpPort();
  specFile = join(dir, 'steward.yaml');
  writeFileSync(specFile, spec());
});

after(() => {
  for (const d of daemons) d.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('render writes no secret, only references; install.sh requires them', () => {
  const env = { ...process.env };
  delete env.RT_COMMUNITY;
  const out = join(dir, 'out');
  const r = steward(['render', 'host', 'box', '--spec', specFile, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const snmpd = readFileSync(join(out, 'snmpd.conf'), 'utf8');
  assert.match(snmpd, /^rocommunity "\$\{RT_COMMUNITY\}" 127\.0\.0\.1\/32$/m);
  assert.match(snmpd, new RegExp(`^agentAddress udp:127\\.0\\.0\\.1:${snmpPort}$`, 'm'));
  const nrpe = readFileSync(join(out, 'nrpe.cfg'), 'utf8');
  assert.match(nrpe, /^allowed_hosts=127\.0\.0\.1\/32$/m);
  assert.match(nrpe, /^server_address=127\.0\.0\.1$/m);
  assert.match(nrpe, /^dont_blame_nrpe=0$/m);
  assert.match(
    nrpe,
    /^command\[check_fine\]=\/usr\/lib\/nagios\/plugins\/check_dummy 1 'disk getting full; really'$/m,
  );
  assert.match(
    nrpe,
    new RegExp(
      `^command\\[check_app_heap\\]='\\$\\{STEWARD_PLUGIN_DIR\\}/check_jvm_jstat' -m ${marker}$`,
      'm',
    ),
  );
  assert.ok(statSync(join(out, 'plugins/check_jvm_jstat')).mode & 0o100);
  const missing = spawnSyncStatus(join(out, 'install.sh'), {
    STEWARD_INSTALL_ROOT: join(dir, 'root'),
    STEWARD_NO_RESTART: '1',
  });
  assert.notEqual(missing.status, 0);
  assert.match(missing.stderr, /RT_COMMUNITY/);
});

function spawnSyncStatus(file: string, env: Record<string, string>): { status: number; stderr: string } {
  try {
    execFileSync('/bin/sh', [file], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'pipe' });
    return { status: 0, stderr: '' };
  } catch (error) {
    const e = error as { status: number; stderr: Buffer };
    return { status: e.status, stderr: e.stderr.toString() };
  }
}

test('installed on the real snmpd and nrpe, the checks read them; 127.0.0.2 is refused', async () => {
  const root = join(dir, 'root');
  const install = spawnSyncStatus(join(dir, 'out/install.sh'), {
    STEWARD_INSTALL_ROOT: root,
    STEWARD_NO_RESTART: '1',
    STEWARD_PLUGIN_DIR: join(dir, 'steward-plugins'),
    RT_COMMUNITY: SECRET,
  });
  assert.equal(install.status, 0, install.stderr);
  const snmpdConf = join(root, 'etc/snmp/snmpd.conf');
  assert.match(readFileSync(snmpdConf, 'utf8'), new RegExp(`rocommunity "${SECRET}" 127.0.0.1/32`));
  assert.equal(statSync(snmpdConf).mode & 0o777, 0o600);
  chmodSync(root, 0o755);

  // The daemons on the installed files, on loopback only.
  daemons.push(
    spawn(SNMPD, ['-f', '-Lo', '-C', '-c', snmpdConf, '-p', join(dir, 'snmpd.pid')], {
      stdio: 'ignore',
      env: {
        ...process.env,
        SNMP_PERSISTENT_DIR: join(dir, 'snmp-persist'),
        MIBS: '',
        MIBDIRS: join(dir, 'no-mibs'),
      },
    }),
  );
  const wrapper = join(dir, 'nrpe-loopback.cfg');
  writeFileSync(wrapper, `include=${join(root, 'etc/nagios/nrpe.cfg')}\npid_file=${join(dir, 'nrpe.pid')}\n`);
  daemons.push(spawn(NRPE_DAEMON, ['-c', wrapper, '-f'], { stdio: 'ignore' }));

  const loaded = loadSpec(specFile, { env: { RT_COMMUNITY: SECRET } });
  assert.ok(loaded.ok);
  const results = new Map<string, Awaited<ReturnType<typeof runProbe>>>();
  const check = async (name: string) => {
    const s = loaded.deployment.services.find((x) => x.name === name)!;
    const r = await runProbe(s.probe, {
      timeoutMs: 3000,
      timeoutState: 2,
      host: { name: 'box', address: '127.0.0.1' },
      pluginDirs: [],
      warning: s.warning,
      critical: s.critical,
      environment: 'lab',
      intervalMs: 60_000,
    });
    results.set(name, r);
    return r;
  };
  // Wait for the daemons to answer.
  for (let i = 0; i < 100; i++) {
    const [fine, load] = [await check('fine'), await check('load')];
    if (fine.state !== 2 && !/no answer/.test(load.output)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const fine = results.get('fine')!;
  assert.equal(fine.state, 1, fine.output);
  assert.equal(fine.output, 'WARNING: disk getting full; really');
  const heap = await check('heap');
  assert.equal(heap.state, 2, heap.output);
  assert.match(heap.output, new RegExp(`JVM CRITICAL - no process matches '${marker}'`));

  const load = results.get('load')!;
  assert.match(load.output, /^SNMP (OK|WARNING|CRITICAL) - load\.5 = /);
  const [laLoad5] = (
    await run(
      '/usr/bin/snmpget',
      ['-v2c', '-c', SECRET, '-Oqv', `127.0.0.1:${snmpPort}`, '1.3.6.1.4.1.2021.10.1.3.2'],
      {
        env: { ...process.env, MIBS: '' },
      },
    )
  ).stdout
    .trim()
    .replace(/"/g, '')
    .split('\n');
  assert.ok(
    Math.abs(load.perfdata[0]!.value - Number(laLoad5)) < 0.5,
    `${load.output} vs snmpget ${laLoad5}`,
  );
  const disk = await check('disk');
  assert.match(disk.output, /worst of \d+ matching disk\.\*\.used_percent/);

  // From 127.0.0.2 (outside 127.0.0.1/32): snmpd does not answer the community, nrpe hangs up.
  await assert.rejects(
    run(
      '/usr/bin/snmpget',
      [
        '-v2c',
        '-c',
        SECRET,
        '-t',
        '0.5',
        '-r',
        '0',
        '--clientaddr=127.0.0.2',
        `127.0.0.1:${snmpPort}`,
        '1.3.6.1.2.1.1.3.0',
      ],
      { env: { ...process.env, MIBS: '' } },
    ),
    /Timeout/,
  );
  const fromOutside = await new Promise<{ bytes: number; closed: boolean }>((resolve) => {
    const socket = connect({ host: '127.0.0.1', port: nrpePort, localAddress: '127.0.0.2' });
    let bytes = 0;
    socket.on('data', (d) => (bytes += d.length));
    socket.on('connect', () => socket.write(Buffer.alloc(16)));
    socket.on('close', () => resolve({ bytes, closed: true }));
    socket.on('error', () => {});
    setTimeout(() => {
      socket.destroy();
      resolve({ bytes, closed: false });
    }, 2000);
  });
  assert.deepEqual(fromOutside, { bytes: 0, closed: true });
});

test('a rendered SNMP v3 user (SHA/AES, authPriv) is accepted by the real snmpd', async () => {
  const port = await freeUdpPort();
  const agent = {
    host: '127.0.0.1',
    port,
    version: '3' as const,
    user: { name: 'steward', level: 'authPriv' as const, authKey: 'auth-key-8812', privKey: 'priv-key-8812' },
  };
  const conf = join(dir, 'snmpd-v3.conf');
  writeFileSync(
    conf,
    renderSnmpdConf({
      host: 'box',
      specFile: 'steward.yaml',
      agents: [agent],
      monitoringSubnet: '127.0.0.1/32',
      listenAddress: '127.0.0.1',
    }),
  );
  const daemon = spawn(SNMPD, ['-f', '-Lo', '-C', '-c', conf, '-p', join(dir, 'snmpd-v3.pid')], {
    stdio: 'ignore',
    env: {
      ...process.env,
      SNMP_PERSISTENT_DIR: join(dir, 'snmp-v3-persist'),
      MIBS: '',
      MIBDIRS: join(dir, 'no-mibs'),
    },
  });
  daemons.push(daemon);
  let poll = await pollHostMetrics({ ...agent, timeoutMs: 500 });
  for (let i = 0; i < 40 && poll.errors.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    poll = await pollHostMetrics({ ...agent, timeoutMs: 500 });
  }
  assert.deepEqual(poll.errors, []);
  assert.ok(poll.metrics.load !== undefined);
  const wrong = await pollHostMetrics({
    ...agent,
    user: { ...agent.user, authKey: 'wrong-key-0000' },
    timeoutMs: 1000,
  });
  assert.match(wrong.errors[0] ?? '', /wrong authKey|no answer/);
});

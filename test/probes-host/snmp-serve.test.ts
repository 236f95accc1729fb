/**
 * SNMP end to end: a real snmpd on loopback, a spec with snmp checks (credentials set once on the
 * environment), `steward serve`; the checks get their states from one shared poll per host and the
 * poll's values are stored as series.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { StewardServer } from '../helpers/steward-server.ts';
import { COMMUNITY, type Snmpd, startSnmpd } from '../probes-snmp/snmpd-peer.ts';

let snmpd: Snmpd;
let server: StewardServer;

before(async () => {
  snmpd = await startSnmpd();
  process.env.STEWARD_TEST_SNMP_COMMUNITY = COMMUNITY;
  server = new StewardServer(`
deployment: snmp-e2e
operatorNetworks: [127.0.0.0/8]
environments:
  - name: lab
    snmp: { community: "\${STEWARD_TEST_SNMP_COMMUNITY}", port: ${snmpd.port} }
    hosts:
      - name: box
        address: 127.0.0.1
        checks:
          - { name: load, snmp: { metric: load.1 }, warning: "1000", critical: "2000", interval: 2s }
          - { name: root-disk, snmp: { metric: disk./.used_percent }, critical: "~:0", interval: 2s }
          - { name: uptime, snmp: { metric: uptime.seconds }, interval: 2s }
          - { name: typo, snmp: { metric: memory.usedpercent }, interval: 2s, maxAttempts: 1 }
`);
  await server.start();
});

after(async () => {
  await server?.cleanup();
  await snmpd?.stop();
});

test('snmp checks get their states from the poll and the thresholds', async () => {
  const load = await server.waitForService('box', 'load', (s) => s.checked);
  assert.equal(load.state, 'OK', load.output);
  assert.match(load.output, /^SNMP OK - load\.1 = [\d.]+/);
  // critical ~:0 alerts on any positive value: the root filesystem is used.
  const disk = await server.waitForService('box', 'root-disk', (s) => s.checked);
  assert.equal(disk.state, 'CRITICAL', disk.output);
  assert.match(disk.output, /disk\.\/\.used_percent = [\d.]+%/);
  const uptime = await server.waitForService('box', 'uptime', (s) => s.checked);
  assert.equal(uptime.state, 'OK');
});

test('a metric the host does not report is UNKNOWN and names those it does', async () => {
  const typo = await server.waitForService('box', 'typo', (s) => s.checked);
  assert.equal(typo.state, 'UNKNOWN', typo.output);
  assert.match(typo.output, /reports no metric memory\.usedpercent/);
  assert.match(typo.output, /memory\.used_percent/);
});

test('every value of the poll is stored once as an snmp_ series with environment and host labels', async () => {
  let names: string[] = [];
  let series: any[] = [];
  for (let i = 0; i < 100; i++) {
    const r = await server.get('/api/v1/metrics/series');
    assert.equal(r.status, 200);
    series = r.body.series.filter((s: any) => s.name.startsWith('snmp_'));
    names = series.map((s: any) => s.name);
    if (names.includes('snmp_load_1') && names.includes('snmp_disk_used_percent')) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.ok(names.includes('snmp_load_1'), names.join(','));
  assert.ok(names.includes('snmp_memory_used_percent'));
  assert.ok(names.includes('snmp_uptime_seconds'));
  const root = series.find((s) => s.name === 'snmp_disk_used_percent' && s.labels.mount === '/');
  assert.ok(root, 'root filesystem series');
  assert.equal(root.labels.environment, 'lab');
  assert.equal(root.labels.host, 'box');
  assert.equal(root.unit, '%');
  // Four checks share one poll: each series exists once (not once per check).
  const loadSeries = series.filter((s) => s.name === 'snmp_load_1');
  assert.equal(loadSeries.length, 1);
  assert.deepEqual(Object.keys(loadSeries[0].labels).sort(), ['environment', 'host']);
});

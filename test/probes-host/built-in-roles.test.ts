// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fixtures contain ${ENV} references on purpose
/** Built-in roles: linux and wso2-* without defining them, overridable, and linux run against a real snmpd. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runProbe } from '../../src/probes/index.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { COMMUNITY, type Snmpd, startSnmpd } from '../probes-snmp/snmpd-peer.ts';
import { writeFixture } from '../spec/fixture.ts';

let snmpd: Snmpd;
before(async () => {
  snmpd = await startSnmpd();
});
after(async () => {
  await snmpd?.stop();
});

function load(yaml: string, env: Record<string, string> = {}) {
  return loadSpec(writeFixture({ 'steward.yaml': yaml }).main, { env });
}

test('wso2 roles give health endpoints, ports, heap and the linux basics without being defined', () => {
  const result = load(`
deployment: d
operatorNetworks: [10.0.0.0/8]
environments:
  - name: prod
    hosts:
      - { name: apim-1, address: 10.0.1.1, roles: [wso2-apim] }
      - { name: is-1, address: 10.0.1.2, roles: [wso2-is] }
      - { name: mi-1, address: 10.0.1.3, roles: [wso2-mi] }
`);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  const names = (host: string) =>
    result.deployment.services.filter((s) => s.host === host).map((s) => s.name);
  // The wso2 roles build on linux: its checks come first.
  const linux = ['cpu', 'load', 'memory', 'swap', 'disk', 'uptime'];
  assert.deepEqual(names('apim-1'), [
    ...linux,
    'apim-health',
    'gateway-health',
    'gateway-https',
    'gateway-http',
    'heap',
  ]);
  assert.deepEqual(names('is-1'), [...linux, 'is-health', 'heap']);
  assert.deepEqual(names('mi-1'), [
    ...linux,
    'mi-health',
    'mi-liveness',
    'mi-http',
    'mi-https',
    'mi-management',
    'heap',
  ]);
  const service = (id: string) => result.deployment.services.find((s) => s.id === id)!;
  const health = service('apim-1/apim-health');
  assert.deepEqual(health.probe.kind === 'http' && [health.probe.url, health.probe.insecure], [
    'https://10.0.1.1:9443/services/Version',
    true,
  ]);
  assert.equal(health.role, 'wso2-apim');
  const heap = service('mi-1/heap');
  assert.ok(heap.probe.kind === 'jvm' && heap.probe.source.kind === 'nrpe');
  assert.equal(heap.probe.source.nrpe.host, '10.0.1.3');
  assert.equal(heap.critical, '90');
  const ports = ['mi-http', 'mi-https'].map((n) => {
    const p = service(`mi-1/${n}`).probe;
    return p.kind === 'tcp' ? p.port : 0;
  });
  assert.deepEqual(ports, [8290, 8253]);
  const gateway = ['gateway-https', 'gateway-http'].map((n) => {
    const p = service(`apim-1/${n}`).probe;
    return p.kind === 'tcp' ? p.port : 0;
  });
  assert.deepEqual(gateway, [8243, 8280]);
});

test('a spec role of the same name replaces the built-in one; unknown roles list the built-ins', () => {
  const result = load(`
deployment: d
operatorNetworks: [10.0.0.0/8]
roles:
  linux: { checks: [{ name: only-ssh, tcp: { port: 22 } }] }
environments:
  - name: prod
    hosts: [{ name: a, address: 10.0.0.1, roles: [linux] }]
`);
  assert.ok(result.ok);
  assert.deepEqual(
    result.deployment.services.map((s) => s.name),
    ['only-ssh'],
  );
  const unknown = load(`
deployment: d
operatorNetworks: [10.0.0.0/8]
environments:
  - name: prod
    hosts: [{ name: a, address: 10.0.0.1, roles: [wso2-apimm] }]
`);
  assert.ok(!unknown.ok);
  assert.match(unknown.errors[0]!.message, /unknown role `wso2-apimm`/);
  assert.match(unknown.errors[0]!.hint ?? '', /wso2-apim/);
});

test('the linux role runs against a real snmpd: every check gets a value, disk covers every mount', async () => {
  const result = load(
    `
deployment: d
operatorNetworks: [127.0.0.0/8]
environments:
  - name: lab
    snmp: { community: "\${C}", port: ${snmpd.port} }
    hosts: [{ name: box, address: 127.0.0.1, roles: [linux] }]
`,
    { C: COMMUNITY },
  );
  assert.ok(result.ok);
  const snmpChecks = result.deployment.services.filter((s) => s.probe.kind === 'snmp');
  assert.equal(snmpChecks.length, 6);
  for (const s of snmpChecks) {
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
    assert.notEqual(r.state, 3, `${s.name}: ${r.output}`);
    assert.match(r.output, /^SNMP (OK|WARNING|CRITICAL) - /, `${s.name}: ${r.output}`);
    if (s.name === 'disk') {
      assert.match(r.output, /worst of \d+ matching disk\.\*\.used_percent/);
      assert.ok(r.perfdata.some((p) => p.label === 'disk./.used_percent'));
    }
  }
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fixtures contain ${ENV} references on purpose
/** The host probe check kinds in the spec: nrpe, snmp (with environment/host agent settings), prometheus, jvm. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ServiceModel } from '../../src/core/index.ts';
import { loadSpec } from '../../src/spec/index.ts';
import { writeFixture } from '../spec/fixture.ts';

function load(yaml: string, env: Record<string, string> = {}) {
  const fixture = writeFixture({ 'steward.yaml': yaml });
  return loadSpec(fixture.main, { env });
}

function services(yaml: string, env: Record<string, string> = {}): Map<string, ServiceModel> {
  const result = load(yaml, env);
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return new Map(result.deployment.services.map((s) => [s.id, s]));
}

test('nrpe: defaults (port 5666, anonymous DH), args fixed in nrpe.cfg unless sendArgs', () => {
  const s = services(`
deployment: d
operatorNetworks: [10.0.0.0/8]
environments:
  - name: prod
    hosts:
      - name: web-1
        address: 10.0.0.5
        checks:
          - { name: disk, nrpe: { command: check_root, plugin: check_disk, args: [-w, "20%", -p, /] } }
          - { name: load, nrpe: { command: check_load, args: [-w, "5"], sendArgs: true, port: 5667, tls: none } }
`);
  assert.deepEqual(s.get('web-1/disk')!.probe, {
    kind: 'nrpe',
    host: '10.0.0.5',
    port: 5666,
    command: 'check_root',
    args: [],
    tls: 'anonymous-dh',
    define: { plugin: 'check_disk', args: ['-w', '20%', '-p', '/'], sendArgs: false },
  });
  const load = s.get('web-1/load')!.probe;
  assert.equal(load.kind, 'nrpe');
  assert.ok(load.kind === 'nrpe');
  assert.deepEqual(load.args, ['-w', '5']);
  assert.equal(load.port, 5667);
  assert.equal(load.tls, 'none');
  assert.deepEqual(load.define, { plugin: 'check_load', args: ['$ARG1$', '$ARG2$'], sendArgs: true });
});

test('snmp: agent settings from the environment, the host overriding key by key, the check last; ${ENV} secrets', () => {
  const s = services(
    `
deployment: d
operatorNetworks: [10.0.0.0/8]
environments:
  - name: prod
    snmp: { community: "\${COMMUNITY}", port: 1161 }
    hosts:
      - name: a
        address: 10.0.0.1
        checks: [{ name: cpu, snmp: { metric: cpu.usage }, warning: "80", critical: "95" }]
      - name: b
        address: 10.0.0.2
        snmp:
          user: { name: steward, authKey: "\${AUTH}", privKey: "\${PRIV}" }
        checks:
          - { name: cpu, snmp: { metric: cpu.usage } }
          - { name: mem, snmp: { metric: memory.used_percent, port: 161 } }
`,
    { COMMUNITY: 'sec-community', AUTH: 'auth-key-123', PRIV: 'priv-key-123' },
  );
  const a = s.get('a/cpu')!;
  assert.deepEqual(a.probe, {
    kind: 'snmp',
    metric: 'cpu.usage',
    agent: { host: '10.0.0.1', port: 1161, version: '2c', community: 'sec-community' },
  });
  assert.equal(a.warning, '80');
  const b = s.get('b/cpu')!.probe;
  assert.ok(b.kind === 'snmp');
  assert.equal(b.agent.version, '3');
  assert.equal(b.agent.port, 1161);
  assert.deepEqual(b.agent.user, {
    name: 'steward',
    authKey: 'auth-key-123',
    privKey: 'priv-key-123',
    level: 'authPriv',
  });
  const mem = s.get('b/mem')!.probe;
  assert.ok(mem.kind === 'snmp');
  assert.equal(mem.agent.port, 161);
});

test('snmp without credentials and with an unknown metric group warns', () => {
  const result = load(`
deployment: d
operatorNetworks: [10.0.0.0/8]
environments:
  - name: prod
    hosts:
      - name: a
        address: 10.0.0.1
        checks: [{ name: x, snmp: { metric: cpuu.usage } }]
`);
  assert.ok(result.ok);
  const messages = result.warnings.map((w) => w.message).join('\n');
  assert.match(messages, /no SNMP v2c community/);
  assert.match(messages, /unknown SNMP metric group `cpuu`/);
});

test('prometheus and jvm kinds', () => {
  const s = services(`
deployment: d
operatorNetworks: [10.0.0.0/8]
environments:
  - name: prod
    hosts:
      - name: a
        address: 10.0.0.1
        checks:
          - name: fs
            prometheus: { url: "http://{{address}}:9100/metrics", metric: node_filesystem_avail_bytes, match: { mountpoint: / } }
          - { name: heap, jvm: heap, warning: "80", critical: "90" }
          - { name: heap-jolokia, jvm: { metric: heap, jolokia: "http://{{address}}:8778/jolokia" } }
          - { name: threads, jvm: { metric: threads, nrpe: { command: jvm_threads, args: [-m, carbon] } } }
`);
  assert.deepEqual(s.get('a/fs')!.probe, {
    kind: 'prometheus',
    url: 'http://10.0.0.1:9100/metrics',
    metric: 'node_filesystem_avail_bytes',
    match: { mountpoint: '/' },
    insecure: false,
  });
  const heap = s.get('a/heap')!.probe;
  assert.ok(heap.kind === 'jvm' && heap.source.kind === 'nrpe');
  assert.equal(heap.source.nrpe.command, 'check_jvm_heap');
  assert.equal(heap.source.nrpe.define?.plugin, 'check_jvm_jstat');
  const jolokia = s.get('a/heap-jolokia')!.probe;
  assert.deepEqual(jolokia, {
    kind: 'jvm',
    metric: 'heap',
    source: { kind: 'jolokia', url: 'http://10.0.0.1:8778/jolokia', insecure: false },
  });
  const threads = s.get('a/threads')!.probe;
  assert.ok(threads.kind === 'jvm' && threads.source.kind === 'nrpe');
  assert.deepEqual(threads.source.nrpe.define, {
    plugin: 'check_jvm_jstat',
    args: ['-m', 'carbon'],
    sendArgs: false,
  });
});

test('invalid values are located errors', () => {
  const result = load(`
deployment: d
operatorNetworks: [10.0.0.0/8]
environments:
  - name: prod
    hosts:
      - name: a
        address: 10.0.0.1
        checks:
          - { name: j, jvm: heapp }
          - { name: p, prometheus: { url: "ftp://x", metric: "bad name" } }
          - { name: n, nrpe: { command: "rm -rf" } }
`);
  assert.equal(result.ok, false);
  assert.ok(!result.ok);
  const text = result.errors.map((e) => `${e.line}: ${e.message}`).join('\n');
  assert.match(text, /10: .*heap, gcTime, threads/);
  assert.match(text, /11: .*http\(s\) URL/);
  assert.match(text, /11: .*Prometheus metric name/);
  assert.match(text, /12: .*nrpe command name/);
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fixtures contain ${ENV} references on purpose
/** Valid specs: what the resolved Deployment contains. */
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { test } from 'node:test';
import type { Deployment } from '../../src/core/model.ts';
import { formatSpecError, type LoadResult, loadSpec } from '../../src/spec/index.ts';
import { writeFixture } from './fixture.ts';

function loadOk(result: LoadResult): Extract<LoadResult, { ok: true }> {
  if (!result.ok)
    assert.fail(`expected a valid spec, got:\n${result.errors.map(formatSpecError).join('\n')}`);
  return result;
}

const MAIN = `deployment: acme
operatorNetworks: [203.0.113.0/24, "2001:db8::/32"]
include: [roles/linux.yaml, hosts/prod.yaml]
defaults: { interval: 2m, retryInterval: 20s, maxAttempts: 4 }
environments:
  - name: prod
    defaults: { interval: 30s }
    hosts:
      - name: core-sw
        address: 10.20.0.1
        hostCheck: { tcp: { port: 22 }, maxAttempts: 2 }
      - name: apim-1
        address: 10.20.11.10
        roles: [linux, wso2-apim]
        parents: [core-sw]
        labels: { team: api, tier: 1 }
        checks:
          - name: health
            http:
              url: "https://{{address}}:9443/health?env={{environment}}&h={{host}}"
              headers: { Authorization: "Bearer \${API_TOKEN}", X-Literal: "$\${NOT_EXPANDED}" }
            labels: { team: gateway }
  - name: dev
    hosts:
      - { name: dev-1, address: 127.0.0.1, roles: [linux], checks: [{ name: load, passive: {}, freshness: 10m, staleState: CRITICAL }] }
roles:
  wso2-apim:
    checks:
      - { name: health, http: { url: "https://{{address}}:9443/services/Version", expectStatus: 200 } }
      - { name: heap-port, tcp: { port: 9999 }, interval: 5m, warning: 1, critical: "~:5", timeoutState: UNKNOWN }
`;

const LINUX = `roles:
  linux:
    checks:
      - name: load
        plugin: { command: check_load, args: ["-w", "5", "-H", "{{host}}"] }
        flapDetection: { low: 10, high: 40 }
      - { name: ssh, tcp: { port: 22 } }
`;

const PROD_HOSTS = `environments:
  - name: prod
    hosts:
      - { name: apim-2, address: "2001:db8::5", roles: [wso2-apim], parents: [core-sw] }
hosts:
  - { name: apim-3, environment: prod, address: apim-3.internal.example.com, roles: [wso2-apim] }
`;

function load(): {
  deployment: Deployment;
  result: Extract<LoadResult, { ok: true }>;
  fixture: ReturnType<typeof writeFixture>;
} {
  const fixture = writeFixture({
    'steward.yaml': MAIN,
    'roles/linux.yaml': LINUX,
    'hosts/prod.yaml': PROD_HOSTS,
  });
  const result = loadOk(loadSpec(fixture.main, { env: { API_TOKEN: 'tok-123' } }));
  return { deployment: result.deployment, result, fixture };
}

test('deployment, environments, files and plugin directories', () => {
  const { deployment, fixture } = load();
  assert.equal(deployment.name, 'acme');
  assert.deepEqual(deployment.operatorNetworks, ['203.0.113.0/24', '2001:db8::/32']);
  assert.deepEqual(
    deployment.environments.map((e) => e.name),
    ['prod', 'dev'],
  );
  assert.deepEqual(deployment.files, [
    fixture.main,
    fixture.path('roles/linux.yaml'),
    fixture.path('hosts/prod.yaml'),
  ]);
  assert.deepEqual(deployment.pluginDirs, [
    '/usr/lib/nagios/plugins',
    '/usr/lib/monitoring-plugins',
    fixture.path('plugins'),
  ]);
});

test('hosts from every file join their environment, in order', () => {
  const { deployment } = load();
  assert.deepEqual(
    deployment.hosts.map((h) => `${h.environment}:${h.name}`),
    ['prod:core-sw', 'prod:apim-1', 'prod:apim-2', 'prod:apim-3', 'dev:dev-1'],
  );
  const apim1 = deployment.hosts.find((h) => h.name === 'apim-1')!;
  assert.deepEqual(apim1.roles, ['linux', 'wso2-apim']);
  assert.deepEqual(apim1.parents, ['core-sw']);
  assert.deepEqual(apim1.labels, { team: 'api', tier: '1' });
  assert.equal(apim1.probe, null, 'no hostCheck: always UP');
  const core = deployment.hosts.find((h) => h.name === 'core-sw')!;
  assert.deepEqual(core.probe, { kind: 'tcp', host: '10.20.0.1', port: 22 });
  assert.equal(core.timing.maxAttempts, 2);
});

test("services: role checks in order, the host's own check overrides the same-named role check", () => {
  const { deployment } = load();
  const apim1 = deployment.services.filter((s) => s.host === 'apim-1');
  assert.deepEqual(
    apim1.map((s) => [s.id, s.role ?? '(own)']),
    [
      ['apim-1/load', 'linux'],
      ['apim-1/ssh', 'linux'],
      ['apim-1/health', '(own)'],
      ['apim-1/heap-port', 'wso2-apim'],
    ],
  );
  const health = apim1.find((s) => s.name === 'health')!;
  assert.equal(health.probe.kind, 'http');
  assert.equal(
    health.probe.kind === 'http' && health.probe.url,
    'https://10.20.11.10:9443/health?env=prod&h=apim-1',
  );
  assert.deepEqual(health.labels, { team: 'gateway', tier: '1' }, 'check labels win over host labels');
  const apim2Health = deployment.services.find((s) => s.id === 'apim-2/health')!;
  assert.equal(apim2Health.role, 'wso2-apim');
  assert.deepEqual(apim2Health.probe, {
    kind: 'http',
    url: 'https://[2001:db8::5]:9443/services/Version',
    method: 'GET',
    headers: {},
    expectStatus: [200],
    insecure: false,
    certificateWarningDays: 30,
    certificateCriticalDays: 14,
  });
  assert.equal(deployment.services.length, 4 + 2 + 2 + 2);
});

test('templating and ${ENV} secrets; $${...} stays literal', () => {
  const { deployment } = load();
  const health = deployment.services.find((s) => s.id === 'apim-1/health')!;
  assert.ok(health.probe.kind === 'http');
  assert.deepEqual(health.probe.headers, { Authorization: 'Bearer tok-123', 'X-Literal': '${NOT_EXPANDED}' });
  const load1 = deployment.services.find((s) => s.id === 'apim-1/load')!;
  assert.deepEqual(load1.probe, { kind: 'plugin', command: 'check_load', args: ['-w', '5', '-H', 'apim-1'] });
  const tcp3 = deployment.services.find((s) => s.id === 'apim-3/heap-port')!;
  assert.deepEqual(tcp3.probe, { kind: 'tcp', host: 'apim-3.internal.example.com', port: 9999 });
});

test('timing precedence: check > environment defaults > spec defaults > built-in', () => {
  const { deployment } = load();
  const timing = (id: string) => deployment.services.find((s) => s.id === id)!.timing;
  // prod: environment interval 30s; spec retryInterval 20s, maxAttempts 4; built-in timeout 10s.
  assert.deepEqual(timing('apim-1/ssh'), {
    intervalMs: 30_000,
    retryIntervalMs: 20_000,
    maxAttempts: 4,
    timeoutMs: 10_000,
  });
  // the check's own interval wins.
  assert.equal(timing('apim-1/heap-port').intervalMs, 300_000);
  // dev has no environment defaults: the spec's 2m.
  assert.deepEqual(timing('dev-1/ssh'), {
    intervalMs: 120_000,
    retryIntervalMs: 20_000,
    maxAttempts: 4,
    timeoutMs: 10_000,
  });
});

test('built-in defaults when nothing is set: 1m, 15s, 3, 10s; flap 20/30; timeout CRITICAL; certificate 30/14', () => {
  const fixture = writeFixture({
    'steward.yaml':
      'deployment: d\noperatorNetworks: []\nenvironments:\n  - name: e\n    hosts: [{ name: h, address: 127.0.0.1, checks: [{ name: c, http: { url: "https://{{address}}/" } }] }]\n',
  });
  const { deployment } = loadOk(loadSpec(fixture.main, { env: {} }));
  const service = deployment.services[0]!;
  assert.deepEqual(service.timing, {
    intervalMs: 60_000,
    retryIntervalMs: 15_000,
    maxAttempts: 3,
    timeoutMs: 10_000,
  });
  assert.deepEqual(service.flap, { enabled: true, lowThreshold: 20, highThreshold: 30 });
  assert.equal(service.timeoutState, 2);
  assert.equal(service.freshness, undefined);
  assert.ok(service.probe.kind === 'http');
  assert.equal(service.probe.certificateWarningDays, 30);
  assert.equal(service.probe.certificateCriticalDays, 14);
  assert.deepEqual(service.probe.expectStatus, []);
});

test('thresholds, states, flap detection and freshness are carried over', () => {
  const { deployment } = load();
  const heap = deployment.services.find((s) => s.id === 'apim-1/heap-port')!;
  assert.equal(heap.warning, '1');
  assert.equal(heap.critical, '~:5');
  assert.equal(heap.timeoutState, 3);
  const load1 = deployment.services.find((s) => s.id === 'apim-1/load')!;
  assert.deepEqual(load1.flap, { enabled: true, lowThreshold: 10, highThreshold: 40 });
  const passive = deployment.services.find((s) => s.id === 'dev-1/load')!;
  assert.deepEqual(passive.probe, { kind: 'passive' });
  assert.deepEqual(passive.freshness, { thresholdMs: 600_000, staleState: 2 });
  assert.equal(passive.role, undefined);
});

test('source locations point at the definitions, in the file that holds them', () => {
  const { deployment, fixture } = load();
  const host = (name: string) => deployment.hosts.find((h) => h.name === name)!;
  assert.deepEqual(host('apim-1').source, { file: fixture.main, line: 12, column: 9 });
  assert.deepEqual(host('apim-2').source, { file: fixture.path('hosts/prod.yaml'), line: 4, column: 9 });
  assert.deepEqual(host('apim-3').source, { file: fixture.path('hosts/prod.yaml'), line: 6, column: 5 });
  const ssh = deployment.services.find((s) => s.id === 'apim-1/ssh')!;
  assert.deepEqual(ssh.source, { file: fixture.path('roles/linux.yaml'), line: 7, column: 9 });
  const own = deployment.services.find((s) => s.id === 'apim-1/health')!;
  assert.deepEqual(own.source, { file: fixture.main, line: 18, column: 13 });
});

test('the returned spec has the included roles and hosts in place', () => {
  const { result } = load();
  assert.deepEqual(Object.keys(result.spec.roles ?? {}).sort(), ['linux', 'wso2-apim']);
  const prod = result.spec.environments?.find((e) => e.name === 'prod');
  assert.deepEqual(
    prod?.hosts?.map((h) => h.name),
    ['core-sw', 'apim-1', 'apim-2', 'apim-3'],
  );
  assert.ok(!('environment' in (prod?.hosts?.[3] ?? {})), 'fragment-only key removed');
});

test('plugin paths are relative to the defining file; pluginDirs relative to the spec', () => {
  const fixture = writeFixture({
    'steward.yaml':
      'deployment: d\noperatorNetworks: []\npluginDirs: [myplugins, /opt/plugins]\ninclude: [sub/roles.yaml]\nenvironments:\n  - name: e\n    hosts: [{ name: h, address: 127.0.0.1, roles: [r] }]\n',
    'sub/roles.yaml': 'roles:\n  r:\n    checks: [{ name: c, plugin: { command: ./check_thing } }]\n',
    'sub/check_thing': '#!/bin/sh\necho OK\n',
  });
  chmodSync(fixture.path('sub/check_thing'), 0o755);
  const result = loadOk(loadSpec(fixture.main, { env: {} }));
  assert.deepEqual(result.deployment.pluginDirs, [fixture.path('myplugins'), '/opt/plugins']);
  assert.deepEqual(result.deployment.services[0]!.probe, {
    kind: 'plugin',
    command: fixture.path('sub/check_thing'),
    args: [],
  });
  assert.deepEqual(result.warnings, []);
});

test('a role check overridden by the host is not a conflict between roles', () => {
  const fixture = writeFixture({
    'steward.yaml': `deployment: d
operatorNetworks: []
environments:
  - name: e
    hosts: [{ name: h, address: 127.0.0.1, roles: [a, b], checks: [{ name: cpu, tcp: { port: 3 } }] }]
roles:
  a: { checks: [{ name: cpu, tcp: { port: 1 } }] }
  b: { checks: [{ name: cpu, tcp: { port: 2 } }] }
`,
  });
  const result = loadOk(loadSpec(fixture.main, { env: {} }));
  assert.deepEqual(
    result.deployment.services.map((s) => [s.id, s.probe.kind === 'tcp' && s.probe.port]),
    [['h/cpu', 3]],
  );
});

test('warnings do not make a spec invalid: missing plugin, passive without freshness, host bits in a CIDR', () => {
  const fixture = writeFixture({
    'steward.yaml': `deployment: d
operatorNetworks: [203.0.113.7/24]
environments:
  - name: e
    hosts:
      - name: h
        address: 127.0.0.1
        checks:
          - { name: a, plugin: { command: check_does_not_exist_anywhere } }
          - { name: b, passive: {} }
`,
  });
  const result = loadOk(loadSpec(fixture.main, { env: {} }));
  assert.deepEqual(
    result.warnings.map((w) => [w.line, w.severity]),
    [
      [2, 'warning'],
      [9, 'warning'],
      [10, 'warning'],
    ],
  );
  assert.match(result.warnings[0]!.message, /bits set after the \/24 prefix/);
  assert.match(result.warnings[1]!.message, /check_does_not_exist_anywhere was not found/);
  assert.match(result.warnings[2]!.message, /never notices/);
});

test('an included file read twice is read once, with a warning', () => {
  const fixture = writeFixture({
    'steward.yaml':
      'deployment: d\noperatorNetworks: []\ninclude: [a.yaml, b.yaml]\nenvironments: [{ name: e }]\n',
    'a.yaml': 'include: [common.yaml]\n',
    'b.yaml': 'include: [common.yaml]\n',
    'common.yaml': 'hosts: [{ name: h, environment: e, address: 127.0.0.1 }]\n',
  });
  const result = loadOk(loadSpec(fixture.main, { env: {} }));
  assert.equal(result.deployment.hosts.length, 1);
  assert.equal(result.deployment.files.length, 4);
  assert.equal(result.warnings.length, 1);
  assert.equal(result.warnings[0]!.file, fixture.path('b.yaml'));
  assert.match(result.warnings[0]!.message, /already included at .*a\.yaml:1:11/);
});

test('${ENV} defaults to process.env', () => {
  const fixture = writeFixture({
    'steward.yaml': 'deployment: ${STEWARD_TEST_DEPLOYMENT}\noperatorNetworks: []\n',
  });
  process.env.STEWARD_TEST_DEPLOYMENT = 'from-env';
  try {
    assert.equal(loadOk(loadSpec(fixture.main)).deployment.name, 'from-env');
  } finally {
    delete process.env.STEWARD_TEST_DEPLOYMENT;
  }
});

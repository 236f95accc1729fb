/**
 * Roles that build on roles: `roles: [linux, wso2-apim]` (the product brief's own example) is
 * valid, each role applies once, identical checks from two roles collapse, and two roles that
 * say different things about one check are an error located at the host's roles entry, unless
 * the host chooses in its own checks.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatSpecError, type LoadResult, loadSpec } from '../../src/spec/index.ts';
import { applyRoles, type RoleSource, roleChecksOf } from '../../src/spec/role-checks.ts';
import type { Origin } from '../../src/spec/source-file.ts';
import { blueprintFromSpec } from '../../src/synth/index.ts';
import { writeFixture } from './fixture.ts';

const HEAD = 'deployment: acme\noperatorNetworks: [203.0.113.0/24]\n';

function load(yaml: string): { result: LoadResult; marks: ReturnType<typeof writeFixture>['marks'] } {
  const fixture = writeFixture({ 'steward.yaml': yaml });
  return { result: loadSpec(fixture.main, { env: {} }), marks: fixture.marks };
}

function loadOk(yaml: string) {
  const { result } = load(yaml);
  if (!result.ok) assert.fail(result.errors.map(formatSpecError).join('\n'));
  return result;
}

function services(result: Extract<LoadResult, { ok: true }>, host: string) {
  return result.deployment.services.filter((s) => s.host === host);
}

// Pure: the order and dedup of roles and checks, without files.
const origin = (name: string): Origin => ({ file: { path: `${name}.yaml` } as Origin['file'], path: [] });
const role = (name: string, value: Record<string, unknown>): [string, RoleSource] => [
  name,
  { value, origin: origin(name) },
];

test('roles apply once each, the roles they build on first, depth first', () => {
  const roles = new Map([
    role('linux', { checks: [] }),
    role('java', { roles: ['linux'], checks: [] }),
    role('wso2-apim', { roles: ['java', 'linux'], checks: [] }),
    role('loop-a', { roles: ['loop-b'], checks: [] }),
    role('loop-b', { roles: ['loop-a'], checks: [] }),
  ]);
  assert.deepEqual(
    applyRoles(['linux', 'wso2-apim', 'linux'], roles).map((r) => [r.name, r.via]),
    [
      ['linux', 0],
      ['java', 1],
      ['wso2-apim', 1],
    ],
  );
  assert.deepEqual(
    applyRoles(['wso2-apim'], roles).map((r) => r.name),
    ['linux', 'java', 'wso2-apim'],
  );
  // A cycle (reported by validation) does not hang or repeat.
  assert.deepEqual(
    applyRoles(['loop-a', 'unknown'], roles).map((r) => r.name),
    ['loop-b', 'loop-a'],
  );
});

test('identical checks collapse in any key order; different ones conflict; a role may redefine its base', () => {
  const cpu = { name: 'cpu', snmp: { metric: 'cpu.usage' }, warning: '85' };
  const roles = new Map([
    role('linux', { checks: [cpu, { name: 'ssh', tcp: { port: 22 } }] }),
    role('base', { checks: [{ warning: '85', snmp: { metric: 'cpu.usage' }, name: 'cpu' }] }),
    role('other', { checks: [{ name: 'ssh', tcp: { port: 2222 } }] }),
    role('tight', { roles: ['linux'], checks: [{ ...cpu, warning: '50' }] }),
  ]);
  const same = roleChecksOf(['linux', 'base'], roles);
  assert.deepEqual(
    same.checks.map((c) => [c.name, c.role]),
    [
      ['cpu', 'linux'],
      ['ssh', 'linux'],
    ],
  );
  assert.deepEqual(same.conflicts, []);

  const differ = roleChecksOf(['linux', 'other'], roles);
  assert.deepEqual(
    differ.conflicts.map((c) => [c.name, c.kept.role, c.other.role, c.other.via]),
    [['ssh', 'linux', 'other', 1]],
  );

  const redefined = roleChecksOf(['tight'], roles);
  assert.deepEqual(redefined.conflicts, []);
  assert.deepEqual(
    redefined.checks.map((c) => [c.name, c.role, c.check.warning ?? null]),
    [
      ['cpu', 'tight', '50'],
      ['ssh', 'linux', null],
    ],
  );
});

// Through the loader: what a user writes.

test("`roles: [linux, wso2-apim]` (the product brief's example) is valid and gives linux's checks once", () => {
  const result = loadOk(`${HEAD}environments:
  - name: prod
    snmp: { community: not-a-secret-here }
    hosts:
      - { name: apim-1, address: 10.20.11.10, roles: [linux, wso2-apim] }
      - { name: apim-2, address: 10.20.11.11, roles: [wso2-apim] }
`);
  assert.deepEqual(result.warnings, []);
  const both = services(result, 'apim-1');
  const names = both.map((s) => s.name);
  assert.equal(new Set(names).size, names.length, `no check twice: ${names.join(', ')}`);
  assert.deepEqual(names, [
    'cpu',
    'load',
    'memory',
    'swap',
    'disk',
    'uptime',
    'apim-health',
    'gateway-health',
    'gateway-https',
    'gateway-http',
    'heap',
  ]);
  assert.equal(both.find((s) => s.name === 'cpu')!.role, 'linux');
  assert.equal(both.find((s) => s.name === 'heap')!.role, 'wso2-apim');
  // Listing linux or not makes no difference: wso2-apim builds on it.
  assert.deepEqual(
    services(result, 'apim-2').map((s) => [s.name, s.role]),
    both.map((s) => [s.name, s.role]),
  );
  assert.deepEqual(result.deployment.hosts.find((h) => h.name === 'apim-1')!.roles, ['linux', 'wso2-apim']);
});

test('a spec that redefines linux changes it for the built-in wso2 roles too (no conflict)', () => {
  const result = loadOk(`${HEAD}environments:
  - name: prod
    hosts:
      - { name: apim-1, address: 10.20.11.10, roles: [linux, wso2-apim] }
roles:
  linux:
    checks:
      - { name: cpu, snmp: { metric: cpu.usage }, warning: 80, critical: 95 }
      - { name: root-disk, nrpe: { command: check_disk, args: ["-w", "20%", "-c", "10%", "-p", "/"] } }
`);
  const list = services(result, 'apim-1');
  assert.deepEqual(list.map((s) => s.name).slice(0, 3), ['cpu', 'root-disk', 'apim-health']);
  assert.equal(list[0]!.warning, '80');
  assert.ok(!list.some((s) => s.name === 'memory'), "the built-in linux's checks are replaced, not added");
});

test('identical checks written in two unrelated roles become one service', () => {
  const result = loadOk(`${HEAD}environments:
  - name: prod
    hosts:
      - { name: web-1, address: 10.0.0.1, roles: [web, java] }
roles:
  web: { checks: [{ name: ssh, tcp: { port: 22 } }, { name: https, tcp: { port: 443 } }] }
  java: { checks: [{ tcp: { port: 22 }, name: ssh }, { name: jmx, tcp: { port: 9999 } }] }
`);
  assert.deepEqual(
    services(result, 'web-1').map((s) => [s.name, s.role]),
    [
      ['ssh', 'web'],
      ['https', 'web'],
      ['jmx', 'java'],
    ],
  );
});

test('two roles defining one check differently: a located error, also when reached through another role', () => {
  const { result, marks } = load(`${HEAD}environments:
  - name: prod
    hosts:
      - { name: web-1, address: 10.0.0.1, roles: [linux, ▶app] }
      - { name: web-2, address: 10.0.0.2, roles: [web, ▶tuned] }
roles:
  linux: { checks: [{ name: cpu, snmp: { metric: cpu.usage }, warning: 85 }] }
  app: { checks: [{ name: cpu, snmp: { metric: cpu.usage }, warning: 70 }] }
  web: { roles: [linux], checks: [] }
  tuned: { roles: [app], checks: [] }
`);
  assert.ok(!result.ok);
  const shown = result.errors.map(formatSpecError).join('\n');
  assert.equal(result.errors.length, 2, shown);
  result.errors.forEach((error, i) => {
    assert.deepEqual([error.line, error.column], [marks[i]!.line, marks[i]!.column], shown);
    assert.match(error.hint ?? '', /define `cpu` in the host's own checks to choose/);
  });
  assert.match(
    result.errors[0]!.message,
    /roles `linux` and `app` give host `web-1` different checks named `cpu` \(.*steward\.yaml:9:21 and .*steward\.yaml:10:19\)/,
  );
  assert.match(result.errors[1]!.message, /`linux` \(through `web`\) and `app` \(through `tuned`\)/);
});

test("the host's own check settles a conflict between roles, and overrides role checks", () => {
  const result = loadOk(`${HEAD}environments:
  - name: prod
    hosts:
      - name: web-1
        address: 10.0.0.1
        roles: [web, tuned]
        checks: [{ name: cpu, snmp: { metric: cpu.usage }, warning: 60 }]
roles:
  linux: { checks: [{ name: cpu, snmp: { metric: cpu.usage }, warning: 85 }, { name: ssh, tcp: { port: 22 } }] }
  app: { checks: [{ name: cpu, snmp: { metric: cpu.usage }, warning: 70 }] }
  web: { roles: [linux], checks: [] }
  tuned: { roles: [app], checks: [] }
`);
  assert.deepEqual(
    services(result, 'web-1').map((s) => [s.name, s.role ?? '(own)', s.warning ?? null]),
    [
      ['cpu', '(own)', '60'],
      ['ssh', 'linux', null],
    ],
  );
});

test('the roles a role builds on must exist and not lead back to it', () => {
  const { result, marks } = load(`${HEAD}environments:
  - name: prod
    hosts: [{ name: web-1, address: 10.0.0.1, roles: [a] }]
roles:
  a: { roles: [▶b], checks: [] }
  b: { roles: [▶a, ▶b, ▶lnux], checks: [] }
  linux: { checks: [] }
`);
  assert.ok(!result.ok);
  const shown = result.errors.map(formatSpecError).join('\n');
  assert.equal(result.errors.length, 4, shown);
  result.errors.forEach((error, i) => {
    assert.deepEqual([error.line, error.column], [marks[i]!.line, marks[i]!.column], shown);
  });
  assert.match(result.errors[0]!.message, /roles `a` and `b` build on each other/);
  assert.match(result.errors[1]!.message, /roles `b` and `a` build on each other/);
  assert.match(result.errors[2]!.message, /role `b` builds on itself/);
  assert.match(result.errors[3]!.message, /unknown role `lnux`/);
  assert.match(result.errors[3]!.hint ?? '', /did you mean `linux`\?/);
});

test("a host's product ports include those of the roles its roles build on (for the AWS blueprint)", () => {
  const result = loadOk(`${HEAD}environments:
  - name: prod
    hosts: [{ name: apim-1, address: 10.20.11.10, roles: [gateway], productPorts: [8080] }]
roles:
  carbon: { productPorts: [9443], checks: [] }
  gateway: { roles: [carbon], productPorts: [8243, 9443], checks: [] }
`);
  const { input } = blueprintFromSpec(result.spec);
  assert.deepEqual(input.environments[0]!.hosts[0]!.productPorts, [8080, 9443, 8243]);
});

/** `steward validate` as an operator runs it, and the demo spec it must accept. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadSpec } from '../../src/spec/index.ts';
import { writeFixture } from './fixture.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

function steward(...args: string[]) {
  const run = spawnSync(process.execPath, ['bin/steward.js', ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

test('steward validate examples/demo.yaml passes with a summary line', () => {
  const run = steward('validate', 'examples/demo.yaml');
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout, 'demo: valid — 2 environments, 3 hosts, 7 services\n');
  assert.equal(run.stderr, '');
});

test('the demo uses tcp, http, passive and plugin checks, the plugin found beside the spec', () => {
  const result = loadSpec(path.join(root, 'examples/demo.yaml'), { env: {} });
  assert.ok(result.ok);
  const kinds = new Set(result.deployment.services.map((s) => s.probe.kind));
  assert.deepEqual([...kinds].sort(), ['http', 'passive', 'plugin', 'tcp']);
  assert.ok(result.deployment.pluginDirs.includes(path.join(root, 'examples/plugins')));
  assert.deepEqual(result.warnings, [], 'check_load_avg is found, nothing else to warn about');
  const health = result.deployment.services.find((s) => s.probe.kind === 'http');
  assert.ok(health?.probe.kind === 'http');
  assert.equal(health.probe.url, 'https://127.0.0.1:8443/healthz');
  assert.equal(health.probe.insecure, true);
  assert.ok(result.deployment.hosts.some((h) => h.parents.length > 0));
  assert.deepEqual(
    result.deployment.environments.map((e) => e.name),
    ['prod', 'dev'],
  );
});

test('the demo plugin check_load_avg follows the plugin API: state, output, perfdata, -w/-c', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'steward-load-'));
  const loadavg = path.join(dir, 'loadavg');
  writeFileSync(loadavg, '1.50 0.75 0.25 2/300 12345\n');
  const plugin = path.join(root, 'examples/plugins/check_load_avg');
  const run = (...args: string[]) => {
    const r = spawnSync(plugin, args, {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, CHECK_LOAD_AVG_FILE: loadavg },
    });
    return [r.status, r.stdout.trim()];
  };
  assert.deepEqual(run('-w', '4,3,2', '-c', '8,6,4'), [
    0,
    'LOAD OK - load average: 1.50, 0.75, 0.25|load1=1.50;4;8;0; load5=0.75;3;6;0; load15=0.25;2;4;0;',
  ]);
  assert.equal(run('-w', '1', '-c', '8')[0], 1);
  assert.equal(run('-w', '1', '-c', '1.2')[0], 2);
  assert.equal(run('-w', 'x')[0], 3);
  const missing = spawnSync(plugin, [], {
    encoding: 'utf8',
    env: { CHECK_LOAD_AVG_FILE: path.join(dir, 'none') },
  });
  assert.equal(missing.status, 3);
});

test('steward validate prints every error with file:line:column and exits 1', () => {
  const fixture = writeFixture({
    'steward.yaml': 'deployment: acme\noperatorNetworks: [10.0.0.0/33]\nenviroments: []\n',
  });
  const run = steward('validate', fixture.main);
  assert.equal(run.code, 1);
  assert.equal(run.stdout, '');
  assert.match(
    run.stderr,
    new RegExp(`^${fixture.main}:2:20: error: operatorNetworks\\[0\\]: .*0 to 32.*\\n  hint: `, 'm'),
  );
  assert.match(
    run.stderr,
    new RegExp(
      `^${fixture.main}:3:1: error: enviroments: unknown key .*\\n  hint: did you mean \`environments\`\\?`,
      'm',
    ),
  );
  assert.match(run.stderr, /invalid — 2 errors/);
});

test('steward validate --json prints the errors as JSON', () => {
  const fixture = writeFixture({
    'steward.yaml': 'deployment: acme\noperatorNetworks: []\nroles: { r: { checks: [{ name: c }] } }\n',
  });
  const run = steward('validate', fixture.main, '--json');
  assert.equal(run.code, 1);
  const out = JSON.parse(run.stdout) as {
    ok: boolean;
    errors: { file: string; line: number; column: number; message: string }[];
  };
  assert.equal(out.ok, false);
  assert.deepEqual(
    out.errors.map((e) => [e.file, e.line, e.column]),
    [[fixture.main, 3, 24]],
  );
  assert.match(out.errors[0]!.message, /no kind/);
});

test('steward validate defaults to steward.yaml in the working directory', () => {
  const fixture = writeFixture({ 'steward.yaml': 'deployment: here\noperatorNetworks: []\n' });
  const run = spawnSync(process.execPath, [path.join(root, 'bin/steward.js'), 'validate'], {
    cwd: fixture.dir,
    encoding: 'utf8',
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stdout, 'here: valid — 0 environments, 0 hosts, 0 services (1 warning)\n');
  assert.match(run.stderr, /^steward\.yaml:1:1: warning: the deployment has no hosts/);
});

test('--no-env validates a spec whose secrets are not in this environment (CI), and still checks references', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'steward-validate-noenv-'));
  const file = path.join(dir, 'steward.yaml');
  const spec = (community: string) => `deployment: d
operatorNetworks: [203.0.113.0/24]
environments:
  - name: prod
    hosts:
      - name: web-1
        address: 127.0.0.1
        checks:
          - { name: cpu, snmp: { metric: cpu, community: "${community}" } }
`;
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a spec's ${ENV} reference
  writeFileSync(file, spec('${STEWARD_TEST_UNSET_COMMUNITY}'));
  const plain = steward('validate', file);
  assert.equal(plain.code, 1);
  assert.match(plain.stderr, /environment variable STEWARD_TEST_UNSET_COMMUNITY is not set/);
  const noEnv = steward('validate', file, '--no-env');
  assert.equal(noEnv.code, 0, noEnv.stderr);
  assert.match(noEnv.stdout, /^d: valid — 1 environment, 1 host, 1 service\n$/);
  // A field with a format (a URL) whose whole value comes from the environment is not judged.
  writeFileSync(
    file,
    `${spec('public')}alerting:
  receivers:
    - { name: chat, slack: { url: "\${STEWARD_TEST_UNSET_WEBHOOK}" } }
`,
  );
  const url = steward('validate', file, '--no-env');
  assert.equal(url.code, 0, url.stderr);
  // A malformed reference is still an error without the environment.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a spec's ${ENV} reference
  writeFileSync(file, spec('${1BAD}'));
  const bad = steward('validate', file, '--no-env');
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /`\$\{1BAD\}` is not a valid environment variable reference/);
});

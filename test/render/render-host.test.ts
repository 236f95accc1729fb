// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fixtures contain ${ENV} references on purpose
/**
 * `steward render host` on the shipped examples: every host of examples/acme.yaml (four AWS
 * environments, each with its own VPC and monitoring host) renders, and its nrpe.cfg, snmpd.conf
 * and nftables admit exactly its own environment's monitoring host, the one the synthesized
 * security groups admit; monitoring.subnet overrides; examples/demo.yaml renders too.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { Template } from 'aws-cdk-lib/assertions';
import { markerEnvironment, type RenderedFile, renderHost } from '../../src/render/index.ts';
import { loadSpec, type Spec } from '../../src/spec/index.ts';
import { blueprintFromSpec, buildBlueprint } from '../../src/synth/index.ts';
import { ROOT, steward } from '../helpers/steward-server.ts';
import { ingressRules } from '../synth/template-rules.ts';

const ACME = path.join(ROOT, 'examples/acme.yaml');
const DEMO = path.join(ROOT, 'examples/demo.yaml');
const work = mkdtempSync(path.join(tmpdir(), 'steward-render-host-'));
after(() => rmSync(work, { recursive: true, force: true }));

/** acme.yaml with an edit, next to a copy (loaded as render loads it: secrets as references). */
function acmeWith(edit: (text: string) => string) {
  const file = path.join(work, `acme-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, edit(readFileSync(ACME, 'utf8')));
  return load(file);
}

function load(file: string) {
  const result = loadSpec(file, { env: markerEnvironment() });
  assert.ok(result.ok, JSON.stringify(!result.ok && result.errors));
  return result;
}

function render(result: ReturnType<typeof load>, host: string): Map<string, RenderedFile> {
  const files = renderHost({ deployment: result.deployment, spec: result.spec, host, specFile: 'acme.yaml' });
  return new Map(files.map((f) => [f.path, f]));
}

/** Every environment's hosts, from the document. */
function hostsByEnvironment(spec: Spec): [string, string[]][] {
  return (spec.environments ?? []).map((e) => [e.name, (e.hosts ?? []).map((h) => h.name)]);
}

const SNMP = (text: string) =>
  // Every environment polls its hosts' snmpd with a community from the environment; linux adds cpu.
  text
    .replace(/^( {4}cidr: .*)$/gm, '$1\n    snmp: { community: "${SNMP_COMMUNITY}" }')
    .replace(
      '      - name: root-disk\n',
      '      - { name: cpu, snmp: { metric: cpu.usage } }\n      - name: root-disk\n',
    );

test('acme: every host admits its own environment’s monitoring host, as the security groups do', () => {
  const result = acmeWith(SNMP);
  const { input } = blueprintFromSpec(result.spec);
  const blueprint = buildBlueprint(input, path.join(work, 'cdk.out'), { nag: false });
  const seen = new Map<string, string>();
  let hosts = 0;
  for (const [environment, names] of hostsByEnvironment(result.spec)) {
    const template = Template.fromStack(blueprint.environmentStacks.get(environment)!).toJSON() as {
      Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
    };
    const monitoring = Object.entries(template.Resources).find(
      ([id, r]) => r.Type === 'AWS::EC2::Instance' && id.startsWith('Monitoring'),
    )?.[1].Properties?.PrivateIpAddress as string;
    assert.ok(monitoring, `${environment}: the monitoring instance has a pinned address`);
    const source = `${monitoring}/32`;
    seen.set(environment, source);
    const rules = ingressRules(template);
    for (const host of names) {
      hosts++;
      // The security groups admit NRPE and SNMP from the monitoring host (its group) only.
      for (const port of ['tcp/5666', 'udp/161']) {
        const from = rules
          .filter((r) => r.endsWith(` -> host:${host} ${port}`))
          .map((r) => r.split(' -> ')[0]);
        assert.deepEqual(from, ['monitoring'], `${host} ${port}`);
      }
      const files = render(result, host);
      const nrpe = files.get('nrpe.cfg')!.content;
      assert.match(nrpe, new RegExp(`^allowed_hosts=${source.replaceAll('.', '\\.')}$`, 'm'), host);
      const snmpd = files.get('snmpd.conf')!.content;
      assert.ok(snmpd.includes(`rocommunity "\${SNMP_COMMUNITY}" ${source}\n`), `${host}:\n${snmpd}`);
      assert.ok(!snmpd.includes('@@steward-env'), 'no marker left');
      const nft = files.get('nftables/steward.nft')!.content;
      assert.ok(nft.includes(`tcp dport 5666 ip saddr ${source} accept`), `${host}:\n${nft}`);
      assert.ok(nft.includes(`udp dport 161 ip saddr ${source} accept`), `${host}:\n${nft}`);
      const install = files.get('install.sh')!.content;
      assert.match(install, /SNMP_COMMUNITY:\?set SNMP_COMMUNITY/);
    }
  }
  assert.equal(hosts, 11);
  assert.equal(new Set(seen.values()).size, 4, `one monitoring host per environment: ${[...seen]}`);

  // nft itself accepts the rules (one host per environment is enough for the syntax).
  for (const [environment, names] of hostsByEnvironment(result.spec)) {
    const file = path.join(work, `${environment}.nft`);
    writeFileSync(file, render(result, names[0]!).get('nftables/steward.nft')!.content);
    const checked = spawnSync('nft', ['-c', '-f', file], { encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stderr);
  }
});

test('monitoring.subnet overrides the blueprint for every host', () => {
  const result = acmeWith((text) =>
    text.replace(
      'monitoring:\n  dashboardPort: 8443',
      'monitoring:\n  subnet: 10.99.0.0/24\n  dashboardPort: 8443',
    ),
  );
  for (const host of ['apim-dev-1', 'is-2']) {
    const files = render(result, host);
    assert.match(files.get('nrpe.cfg')!.content, /^allowed_hosts=10\.99\.0\.0\/24$/m);
    assert.ok(
      files.get('nftables/steward.nft')!.content.includes('tcp dport 5666 ip saddr 10.99.0.0/24 accept'),
    );
  }
  // The host's backup job still reports to its environment's monitoring host by default.
  const script = render(result, 'apim-1').get('backup/backup-apim-1-files.sh')!.content;
  assert.match(script, /'https:\/\/10\.40\.\d+\.\d+:8443\/api\/v1\/results'/);
});

test('steward render host on acme.yaml: the files, where they go, and the backup job of apim-1', () => {
  const out = path.join(work, 'apim-1');
  const run = steward(['render', 'host', 'apim-1', '--spec', ACME, '--out', out]);
  assert.equal(run.code, 0, run.stderr);
  const expected: [string, string][] = [
    ['nrpe.cfg', '/etc/nagios/nrpe.cfg'],
    ['nftables/steward.nft', '/etc/nftables.d/steward.nft'],
    ['backup/backup-apim-1-files.sh', '/usr/local/lib/steward/backup-apim-1-files.sh'],
    ['backup/steward-backup-apim-1-files.timer', '/etc/systemd/system/steward-backup-apim-1-files.timer'],
  ];
  for (const [file, target] of expected) {
    assert.match(run.stdout, new RegExp(`${path.join(out, file)} +→ ${target}\n`), run.stdout);
  }
  const install = readFileSync(path.join(out, 'install.sh'), 'utf8');
  assert.match(
    install,
    /install -D -m 0750 backup\/backup-apim-1-files\.sh "\$ROOT\/usr\/local\/lib\/steward\//,
  );
  assert.match(install, /systemctl enable --now steward-backup-apim-1-files\.timer/);
  assert.match(install, /^# {3}\/etc\/steward\/backup\.env: RESTIC_PASSWORD_PROD \(NAME=value lines\)$/m);
  // The job reports to prod's monitoring host (the blueprint's), on the dashboard port.
  const nrpe = readFileSync(path.join(out, 'nrpe.cfg'), 'utf8');
  const monitoring = /^allowed_hosts=(.*)\/32$/m.exec(nrpe)![1]!;
  const script = readFileSync(path.join(out, 'backup/backup-apim-1-files.sh'), 'utf8');
  assert.ok(script.includes(`'https://${monitoring}:8443/api/v1/results'`), script);
  assert.equal(spawnSync('bash', ['-n', path.join(out, 'install.sh')]).status, 0);
  // A host without backup jobs gets none.
  const other = steward(['render', 'host', 'is-1', '--spec', ACME, '--out', path.join(work, 'is-1')]);
  assert.equal(other.code, 0, other.stderr);
  assert.doesNotMatch(other.stdout, /backup/);
});

test('demo.yaml: every host renders; a host with nothing to configure says so', () => {
  const result = load(DEMO);
  for (const host of result.deployment.hosts.map((h) => h.name)) {
    const files = render(result, host);
    assert.deepEqual([...files.keys()], ['install.sh'], host);
  }
  const run = steward(['render', 'host', 'gateway', '--spec', DEMO, '--out', path.join(work, 'demo')]);
  assert.equal(run.code, 0, run.stderr);
  assert.match(run.stdout, /gateway has no nrpe, snmp or jvm-over-nrpe checks.*nothing to install/);
});

test('agents with nowhere to take polls from: the error says what to add', () => {
  const file = path.join(work, 'no-source.yaml');
  writeFileSync(
    file,
    `deployment: d
operatorNetworks: [203.0.113.0/24]
environments:
  - name: prod
    hosts:
      - { name: web-1, address: 10.0.0.1, checks: [{ name: load, nrpe: { command: check_load } }] }
`,
  );
  const run = steward(['render', 'host', 'web-1', '--spec', file, '--out', path.join(work, 'none')]);
  assert.equal(run.code, 1);
  assert.match(run.stderr, /agents of web-1 would not know whom to answer: add `monitoring: \{ subnet:/);
  assert.match(run.stderr, /describe the AWS side/);
  const bad = steward(['render', 'host', 'web-1', '--spec', file, '--out', work, '--steward-url', 'monitor']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--steward-url monitor is not a URL/);
});

test('a backup job whose settings refer to ${NAME}: expanded when the job runs, never at install time', () => {
  const file = path.join(work, 'rest-repo.yaml');
  writeFileSync(
    file,
    `deployment: d
operatorNetworks: [203.0.113.0/24]
monitoring: { subnet: 10.0.9.0/24 }
environments:
  - name: prod
    hosts: [{ name: app-1, address: 10.0.1.5 }]
backup:
  repositories:
    - name: vault
      restic: { repository: "rest:https://backup:\${REST_PASSWORD}@vault.internal/acme", passwordEnv: RESTIC_PASSWORD_VAULT }
  jobs:
    - { name: conf, repository: vault, host: app-1, files: { paths: [/etc/app] }, schedule: "@daily" }
`,
  );
  const result = load(file);
  const files = renderHost({
    deployment: result.deployment,
    spec: result.spec,
    host: 'app-1',
    specFile: 'rest-repo.yaml',
    stewardUrl: 'https://monitor.internal:8443',
  });
  const script = files.find((f) => f.path === 'backup/backup-conf.sh')!.content;
  assert.ok(!script.includes('@@steward-env'), 'no marker left');
  const line = script.split('\n').find((l) => l.startsWith('export RESTIC_REPOSITORY='))!;
  const expanded = spawnSync('bash', ['-c', `set -u; ${line}; printf %s "$RESTIC_REPOSITORY"`], {
    env: { PATH: process.env.PATH, REST_PASSWORD: "s3cr't $x" },
    encoding: 'utf8',
  });
  assert.equal(expanded.stdout, "rest:https://backup:s3cr't $x@vault.internal/acme", expanded.stderr);
  const install = files.find((f) => f.path === 'install.sh')!.content;
  assert.match(
    install,
    /\/etc\/steward\/backup\.env: RESTIC_PASSWORD_VAULT, REST_PASSWORD \(NAME=value lines\)/,
  );
  assert.doesNotMatch(install, /REST_PASSWORD:\?/, 'install.sh does not require it: it never writes it');
  assert.ok(script.includes("'https://monitor.internal:8443/api/v1/results'"));
  // Without --steward-url and without a blueprint, render says how to tell it.
  assert.throws(
    () => renderHost({ deployment: result.deployment, spec: result.spec, host: 'app-1', specFile: 'x' }),
    /app-1 runs backup job conf, which reports to Steward: pass --steward-url/,
  );
});

test('the host firewall guards the ports its agents really listen on', () => {
  const file = path.join(work, 'ports.yaml');
  writeFileSync(
    file,
    `deployment: d
operatorNetworks: [203.0.113.0/24]
monitoring: { subnet: 10.0.9.0/24 }
access: { bastion: { placement: datacenter, port: 2222, address: 198.51.100.7 } }
environments:
  - name: prod
    hosts:
      - name: app-1
        address: 10.0.1.5
        snmp: { community: not-secret-here, port: 1161 }
        checks:
          - { name: cpu, snmp: { metric: cpu.usage } }
          - { name: memory, snmp: { metric: memory.used_percent, port: 1162 } }
          - { name: load, nrpe: { command: check_load, port: 5667 } }
`,
  );
  const result = load(file);
  const files = renderHost({
    deployment: result.deployment,
    spec: result.spec,
    host: 'app-1',
    specFile: 'p',
  });
  const nft = files.find((f) => f.path === 'nftables/steward.nft')!.content;
  assert.ok(nft.includes('tcp dport 5667 ip saddr 10.0.9.0/24 accept'), nft);
  assert.ok(nft.includes('udp dport { 1161, 1162 } ip saddr 10.0.9.0/24 accept'), nft);
  assert.ok(nft.includes('udp dport { 1161, 1162 } counter drop'), nft);
  const nftFile = path.join(work, 'ports.nft');
  writeFileSync(nftFile, nft);
  const checked = spawnSync('nft', ['-c', '-f', nftFile], { encoding: 'utf8' });
  assert.equal(checked.status, 0, checked.stderr);
});

/**
 * Property: for random valid inputs (seeded, so a failure reproduces), the synthesized security
 * groups allow exactly the documented flows. The expected rules are written here from the
 * requirements, independently of src/synth/flows.ts, and compared with what the templates say.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Template } from 'aws-cdk-lib/assertions';
import {
  type BlueprintEnvironment,
  type BlueprintInput,
  buildBlueprint,
  checkBlueprintInput,
  renderDiagram,
  synthesizeApp,
} from '../../src/synth/index.ts';
import { ingressRules } from './template-rules.ts';
import { wellFormedElements } from './xml-well-formed.ts';

const RUNS = 50;
const SEED = 0x5eed_0009;

/** mulberry32: small, fast, good enough to pick test cases. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(random: () => number) {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const some = <T>(items: readonly T[], min: number, max: number): T[] =>
    [...items].sort(() => random() - 0.5).slice(0, int(min, Math.min(max, items.length)));
  return { int, pick, some, chance: (p: number) => random() < p };
}

function randomInput(random: () => number, run: number): BlueprintInput {
  const g = generator(random);
  const bastionPort = g.pick([2222, 2200, 22022, 8022]);
  const environments: BlueprintEnvironment[] = g
    .some(['dev', 'test', 'preprod', 'prod', 'qa', 'production'], 1, g.chance(0.3) ? 2 : 1)
    .map((name, e) => ({
      name,
      ...(g.chance(0.4) ? { region: g.pick(['eu-west-1', 'us-east-1', 'ap-southeast-2']) } : {}),
      ...(g.chance(0.3) ? { account: String(100000000000 + run * 10 + e) } : {}),
      ...(g.chance(0.3) ? { cidr: `10.${g.int(0, 255)}.0.0/${g.pick([16, 18, 20])}` } : {}),
      ...(g.chance(0.3) ? { natGateways: g.int(1, 2) } : {}),
      ...(g.chance(0.3)
        ? { productClients: g.some(['198.51.100.0/24', '0.0.0.0/0', '2001:db8:1::/48', '192.0.2.5'], 1, 2) }
        : {}),
      hosts: Array.from({ length: g.int(0, 4) }, (_, h) => ({
        name: `${name}-${g.pick(['apim', 'is', 'mi', 'batch'])}-${h}`,
        ...(g.chance(0.5) ? { role: g.pick(['wso2-apim', 'wso2-is', 'linux']) } : {}),
        ...(g.chance(0.6) ? { productPorts: g.some([443, 8080, 8243, 8280, 9443, 9763], 1, 3) } : {}),
        ...(g.chance(0.3) ? { runsBackups: true } : {}),
      })),
      ...(g.chance(0.5) ? { database: { engine: g.pick(['postgres', 'mysql', 'mariadb'] as const) } } : {}),
    }));
  return {
    deployment: `d${run}`,
    operatorNetworks: g.some(['203.0.113.0/24', '198.51.100.128/25', '2001:db8::/32', '192.0.2.10/32'], 1, 3),
    environments,
    bastion: g.chance(0.5)
      ? { placement: 'vpc', port: bastionPort }
      : {
          placement: 'datacenter',
          port: bastionPort,
          address: g.pick(['198.51.100.7', '192.0.2.99/32', '2001:db8::7']),
        },
    monitoring: {
      dashboardPort: g.pick([8443, 9000, 10443]),
      ...(g.chance(0.3) ? { certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abc' } : {}),
    },
    operators: [{ name: 'op' }],
  };
}

function cidrOf(address: string): string {
  return address.includes('/') ? address : `${address}/${address.includes(':') ? 128 : 32}`;
}

/** The documented flows, restated from issue 9, as "source -> component protocol/port". */
function expectedRules(input: BlueprintInput, env: BlueprintEnvironment): string[] {
  const rules: string[] = [];
  const hosts = env.hosts.map((host) => `host:${host.name}`);
  const bastion = input.bastion.placement === 'vpc' ? 'bastion' : `cidr:${cidrOf(input.bastion.address!)}`;
  if (input.bastion.placement === 'vpc') {
    for (const network of input.operatorNetworks)
      rules.push(`cidr:${network} -> bastion tcp/${input.bastion.port}`);
    rules.push('monitoring -> bastion tcp/5666', 'monitoring -> bastion udp/161');
  }
  for (const target of ['monitoring', ...hosts]) rules.push(`${bastion} -> ${target} tcp/22`);
  for (const host of hosts) rules.push(`monitoring -> ${host} tcp/5666`, `monitoring -> ${host} udp/161`);
  for (const network of input.operatorNetworks) rules.push(`cidr:${network} -> dashboard-lb tcp/443`);
  rules.push(`dashboard-lb -> monitoring tcp/${input.monitoring.dashboardPort}`);
  // The bastion ships its audit log, hosts that back up themselves report their runs.
  rules.push(`${bastion} -> monitoring tcp/${input.monitoring.dashboardPort}`);
  for (const host of env.hosts.filter((h) => h.runsBackups))
    rules.push(`host:${host.name} -> monitoring tcp/${input.monitoring.dashboardPort}`);
  const ports = new Set(env.hosts.flatMap((host) => host.productPorts ?? []));
  for (const port of ports) {
    for (const client of env.productClients ?? ['0.0.0.0/0'])
      rules.push(`cidr:${cidrOf(client)} -> product-lb tcp/${port}`);
  }
  for (const host of env.hosts)
    for (const port of host.productPorts ?? []) rules.push(`product-lb -> host:${host.name} tcp/${port}`);
  if (env.database) {
    const port = env.database.engine === 'postgres' ? 5432 : 3306;
    for (const source of [...hosts, 'monitoring']) rules.push(`${source} -> database tcp/${port}`);
  }
  return rules.sort();
}

function expectedNat(env: BlueprintEnvironment): number {
  return env.natGateways ?? (/^prod(uction)?$/.test(env.name) ? 2 : 1);
}

const outRoot = mkdtempSync(join(tmpdir(), 'steward-synth-prop-'));
after(() => rmSync(outRoot, { recursive: true, force: true }));

test(`for ${RUNS} random inputs the security groups allow exactly the documented flows`, () => {
  const random = prng(SEED);
  let environments = 0;
  let publicBastionRules = 0;
  for (let run = 0; run < RUNS; run++) {
    const input = randomInput(random, run);
    checkBlueprintInput(input);
    // cdk-nag is covered by blueprint.test.ts; here only the rules matter, and speed.
    const blueprint = buildBlueprint(input, join(outRoot, String(run)), { nag: false });
    synthesizeApp(blueprint);
    // Offline: no context lookup left for the CDK CLI to answer (the synth result is cached).
    assert.equal(blueprint.app.synth().manifest.missing, undefined, `run ${run}: needs a lookup`);
    for (const env of input.environments) {
      const template = Template.fromStack(blueprint.environmentStacks.get(env.name)!);
      const actual = ingressRules(template.toJSON());
      assert.deepEqual(actual, expectedRules(input, env), `run ${run} ${JSON.stringify(input)}`);
      template.resourceCountIs('AWS::EC2::NatGateway', expectedNat(env));
      publicBastionRules += actual.filter((r) => / -> bastion tcp\//.test(r) && r.startsWith('cidr:')).length;
      for (const rule of actual) {
        assert.doesNotMatch(rule, /^cidr:(0\.0\.0\.0|::)\/0 -> (?!product-lb )/, `run ${run}: ${rule}`);
      }
      environments++;
    }
    const svg = renderDiagram(input);
    wellFormedElements(svg);
    for (const host of input.environments.flatMap((env) => env.hosts))
      assert.ok(svg.includes(`>${host.name}<`), host.name);
  }
  // The generator really exercised the cases.
  assert.ok(environments >= RUNS);
  assert.ok(publicBastionRules > 0);
});

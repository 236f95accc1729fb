/**
 * Property: for random valid inputs (seeded), the nftables rules rendered for each host
 * (src/render, from hostFirewallInputs) and the security groups synthesized for it admit exactly
 * the same sources on the ports the host firewall guards (SSH, NRPE, SNMP). Both sides are read
 * back independently: the security groups and the instances' addresses from the CloudFormation
 * template, the firewall by evaluating the rendered rule text packet by packet.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { BlockList, isIPv6 } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Template } from 'aws-cdk-lib/assertions';
import { renderNftables } from '../../src/render/nftables.ts';
import {
  type BlueprintEnvironment,
  type BlueprintInput,
  buildBlueprint,
  checkBlueprintInput,
  hostFirewallInputs,
} from '../../src/synth/index.ts';
import { ingressRules } from './template-rules.ts';

const RUNS = 8;
const SEED = 0xf1_4e_0009;

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

function randomInput(random: () => number, run: number): BlueprintInput {
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)]!;
  const some = <T>(items: readonly T[], min: number, max: number): T[] =>
    [...items].sort(() => random() - 0.5).slice(0, int(min, Math.min(max, items.length)));
  const environments: BlueprintEnvironment[] = some(['dev', 'test', 'preprod', 'prod'], 1, 2).map((name) => {
    const zones = pick([2, 2, 3]);
    const prefix = pick(zones === 2 ? [16, 18, 21] : [16, 20]);
    const region = pick(['eu-west-1', 'us-east-1']);
    return {
      name,
      region,
      availabilityZones: ['a', 'b', 'c'].slice(0, zones).map((zone) => `${region}${zone}`),
      cidr: `10.${int(0, 255)}.${int(0, 2 ** (prefix - 16) - 1) * 2 ** (24 - prefix)}.0/${prefix}`,
      hosts: Array.from({ length: int(1, 4) }, (_, h) => ({
        name: `${name}-host-${h}`,
        ...(random() < 0.6 ? { productPorts: some([443, 8243, 9443, 161], 1, 2) } : {}),
      })),
      ...(random() < 0.4 ? { database: { engine: pick(['postgres', 'mysql'] as const) } } : {}),
    };
  });
  return {
    deployment: `fw${run}`,
    operatorNetworks: some(['203.0.113.0/24', '2001:db8::/32', '192.0.2.10/32'], 1, 2),
    environments,
    bastion:
      random() < 0.5
        ? { placement: 'vpc', port: pick([2222, 8022]) }
        : {
            placement: 'datacenter',
            port: 2222,
            address: pick(['198.51.100.7', '198.51.100.0/28', '2001:db8:7::7']),
          },
    monitoring: { dashboardPort: 8443 },
    operators: [{ name: 'op' }],
  };
}

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** A sender of packets: a component of the VPC (matched by security group) and/or an address. */
interface Source {
  label: string;
  component?: string;
  address: string;
}

function family(address: string): 'ipv4' | 'ipv6' {
  return isIPv6(address) ? 'ipv6' : 'ipv4';
}

function contains(cidr: string, address: string): boolean {
  const [network, prefix] = cidr.includes('/')
    ? cidr.split('/')
    : [cidr, family(cidr) === 'ipv6' ? '128' : '32'];
  if (family(network!) !== family(address)) return false;
  const list = new BlockList();
  list.addSubnet(network!, Number(prefix), family(network!));
  return list.check(address, family(address));
}

/** The nth address of a CIDR (IPv4), e.g. offset(10.0.1.0/24, 20) = 10.0.1.20. */
function offset(cidr: string, n: number): string {
  const octets = cidr.split('/')[0]!.split('.').map(Number);
  const value = octets.reduce((v, o) => v * 256 + o, 0) + n;
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Reads the subnets (by cdk subnet group) and the instances' pinned private addresses. */
function addressesIn(template: object) {
  const resources = (template as { Resources: Resources }).Resources;
  const subnets = new Map<string, { tier: string; cidr: string }>();
  for (const [id, r] of Object.entries(resources)) {
    if (r.Type !== 'AWS::EC2::Subnet') continue;
    const tags = (r.Properties?.Tags ?? []) as { Key: string; Value: string }[];
    const tier = tags.find((t) => t.Key === 'aws-cdk:subnet-name')?.Value ?? '?';
    subnets.set(id, { tier, cidr: r.Properties?.CidrBlock as string });
  }
  const tier = (name: string) => [...subnets.values()].filter((s) => s.tier === name).map((s) => s.cidr);
  const instance = (prefix: string) => {
    const entry = Object.entries(resources).find(
      ([id, r]) => r.Type === 'AWS::EC2::Instance' && id.startsWith(prefix),
    );
    if (!entry) return undefined;
    const address = entry[1].Properties?.PrivateIpAddress as string | undefined;
    const subnet = subnets.get((entry[1].Properties?.SubnetId as { Ref: string } | undefined)?.Ref ?? '');
    return { address, subnet: subnet?.cidr };
  };
  return { tier, instance };
}

/** First matching rule decides; nothing matching means the chain's policy, accept. */
function nftablesAdmits(rules: string, protocol: string, port: number, address: string): boolean {
  for (const line of rules.split('\n')) {
    const rule =
      /^\s*(tcp|udp) dport (\{ [\d, ]+ \}|\d+)(?: (ip|ip6) saddr (\S+))? (accept|counter drop)/.exec(line);
    if (!rule) continue;
    const [, proto, ports, , saddr, verdict] = rule;
    if (proto !== protocol || !ports!.match(/\d+/g)!.map(Number).includes(port)) continue;
    if (saddr !== undefined && !contains(saddr, address)) continue;
    return verdict === 'accept';
  }
  return true;
}

function sgAdmits(rules: string[], host: string, protocol: string, port: number, source: Source): boolean {
  const suffix = ` -> host:${host} ${protocol}/${port}`;
  return rules
    .filter((rule) => rule.endsWith(suffix))
    .map((rule) => rule.slice(0, -suffix.length))
    .some((from) =>
      from.startsWith('cidr:') ? contains(from.slice(5), source.address) : from === source.component,
    );
}

const GUARDED: [string, number][] = [
  ['tcp', 22],
  ['tcp', 5666],
  ['udp', 161],
];

const outRoot = mkdtempSync(join(tmpdir(), 'steward-host-firewall-'));
after(() => rmSync(outRoot, { recursive: true, force: true }));

test(`for ${RUNS} random inputs, host firewalls and security groups admit the same sources to SSH, NRPE and SNMP`, () => {
  const random = prng(SEED);
  let compared = 0;
  let admitted = 0;
  const placements = new Set<string>();
  for (let run = 0; run < RUNS; run++) {
    const input = randomInput(random, run);
    checkBlueprintInput(input);
    placements.add(input.bastion.placement);
    const blueprint = buildBlueprint(input, join(outRoot, String(run)), { nag: false });
    for (const env of input.environments) {
      const template = Template.fromStack(blueprint.environmentStacks.get(env.name)!).toJSON();
      const rules = ingressRules(template);
      const { tier, instance } = addressesIn(template);
      const at = `run ${run} ${env.name} ${JSON.stringify(input)}`;

      // The pinned addresses are real: inside the subnet the instance is placed in.
      const monitoring = instance('Monitoring');
      assert.ok(
        monitoring?.address && contains(monitoring.subnet!, monitoring.address),
        `${at}: monitoring address`,
      );
      assert.ok(tier('monitoring').includes(monitoring.subnet!), at);
      const sources: Source[] = [
        { label: 'monitoring', component: 'monitoring', address: monitoring.address },
      ];
      if (input.bastion.placement === 'vpc') {
        const bastion = instance('Bastion');
        assert.ok(bastion?.address && contains(bastion.subnet!, bastion.address), `${at}: bastion address`);
        assert.ok(tier('public').includes(bastion.subnet!), at);
        sources.push({ label: 'bastion', component: 'bastion', address: bastion.address });
      } else {
        const address = input.bastion.address!.split('/')[0]!;
        sources.push({ label: 'datacenter bastion', address });
      }
      // Everything else that could send: its neighbours in every subnet, outside networks.
      tier('public').forEach((cidr, i) => {
        sources.push({
          label: `dashboard-lb in ${cidr}`,
          component: 'dashboard-lb',
          address: offset(cidr, 40 + i),
        });
        sources.push({
          label: `product-lb in ${cidr}`,
          component: 'product-lb',
          address: offset(cidr, 50 + i),
        });
        sources.push({ label: `NAT in ${cidr}`, address: offset(cidr, 60 + i) });
      });
      for (const cidr of tier('monitoring'))
        sources.push({ label: `other in ${cidr}`, address: offset(cidr, 99) });
      env.hosts.forEach((host, h) => {
        sources.push({
          label: host.name,
          component: `host:${host.name}`,
          address: offset(tier('application')[0]!, 20 + h),
        });
      });
      for (const cidr of tier('data'))
        sources.push({ label: `database in ${cidr}`, component: 'database', address: offset(cidr, 20) });
      for (const network of input.operatorNetworks) {
        const base = network.split('/')[0]!;
        sources.push({
          label: `operators ${network}`,
          address: family(base) === 'ipv6' ? `${base}1` : offset(network, 0),
        });
      }
      sources.push(
        { label: 'internet', address: '100.64.9.9' },
        { label: 'internet v6', address: '2001:4860::9' },
      );

      const firewalls = hostFirewallInputs(input, env);
      assert.deepEqual(
        firewalls.map((f) => f.host),
        env.hosts.map((h) => h.name),
      );
      for (const firewall of firewalls) {
        const nft = renderNftables(firewall);
        for (const [protocol, port] of GUARDED) {
          for (const source of sources) {
            const byGroups = sgAdmits(rules, firewall.host, protocol, port, source);
            const byFirewall = nftablesAdmits(nft, protocol, port, source.address);
            assert.equal(
              byFirewall,
              byGroups,
              `${at}: ${source.label} (${source.address}) -> ${firewall.host} ${protocol}/${port}: security groups ${byGroups ? 'admit' : 'deny'}, nftables ${byFirewall ? 'admits' : 'denies'}\n${nft}`,
            );
            compared++;
            if (byGroups) admitted++;
          }
        }
      }
    }
  }
  assert.deepEqual([...placements].sort(), ['datacenter', 'vpc'], 'both bastion placements were generated');
  assert.ok(admitted > 0 && admitted < compared, `${admitted} of ${compared} admitted`);
});

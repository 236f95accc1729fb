import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import type { Deployment, NrpeProbe, SnmpAgentSpec } from '../core/model.ts';
import { STEWARD_PLUGIN_DIR } from '../probes/jvm/index.ts';
import { hostLockdownFiles, lockdownSources } from './host-lockdown.ts';
import { renderInstallScript } from './install-script.ts';
import { lockdownInstallLines } from './lockdown-install.ts';
import { type NrpeCommand, renderNrpeCfg } from './nrpe-cfg.ts';
import { restoreReferences } from './secret-references.ts';
import { renderSnmpdConf } from './snmpd-conf.ts';

/** A file `steward render host` writes into --out. */
export interface RenderedFile {
  path: string;
  content: string;
  /** File mode in the --out directory. */
  mode: number;
}

export interface RenderHostInput {
  deployment: Deployment;
  /** The validated spec document (for monitoring.subnet and the lockdown's access section). */
  spec: { monitoring?: { subnet?: string }; access?: { bastion?: { address?: string } } };
  host: string;
  specFile: string;
}

/** Plugins Steward ships in plugins/; nrpe.cfg refers to them under $STEWARD_PLUGIN_DIR. */
const SHIPPED_PLUGINS = new Set(['check_jvm_jstat']);
const DEFAULT_PLUGIN_DIR = '/usr/lib/nagios/plugins';

function pluginPath(plugin: string): string {
  if (plugin.includes('/')) return plugin;
  if (SHIPPED_PLUGINS.has(plugin)) return `\${STEWARD_PLUGIN_DIR}/${plugin}`;
  return `${DEFAULT_PLUGIN_DIR}/${plugin}`;
}

function agentKey(agent: SnmpAgentSpec): string {
  return JSON.stringify([agent.port, agent.version, agent.community, agent.user]);
}

/**
 * The agent configuration of one host: snmpd.conf, nrpe.cfg, the plugins Steward ships that
 * they use, the host lockdown files when the spec has a bastion, and install.sh. Throws an
 * Error saying what to fix when the spec cannot give a safe configuration.
 */
export function renderHost(input: RenderHostInput): RenderedFile[] {
  const { deployment, host: hostName } = input;
  const host = deployment.hosts.find((h) => h.name === hostName);
  if (host === undefined) {
    const known = deployment.hosts.map((h) => h.name);
    throw new Error(`no host "${hostName}" in the spec; hosts: ${known.join(', ') || '(none)'}`);
  }
  const subnet = input.spec.monitoring?.subnet;
  if (subnet === undefined) {
    throw new Error(
      'the spec has no monitoring.subnet, so the agents would not know whom to answer: add `monitoring: { subnet: 10.0.9.0/24 }` (where Steward polls from)',
    );
  }
  const services = deployment.services.filter((s) => s.host === hostName);
  // The agents listen on the address the spec gives the host (when it is an IP), nowhere else.
  const listenAddress = isIP(host.address) === 0 ? '' : host.address;
  const secrets = new Set<string>();
  const files: RenderedFile[] = [];
  const installs: { path: string; installTo: string; mode: string }[] = [];
  const restart: string[] = [];

  // SNMP: the distinct agents this host's snmp checks poll.
  const agents = new Map<string, SnmpAgentSpec>();
  for (const s of services) if (s.probe.kind === 'snmp') agents.set(agentKey(s.probe.agent), s.probe.agent);
  if (agents.size > 0) {
    const content = renderSnmpdConf({
      host: hostName,
      specFile: input.specFile,
      agents: [...agents.values()],
      monitoringSubnet: subnet,
      listenAddress,
    });
    files.push({ path: 'snmpd.conf', content: restoreReferences(content, secrets), mode: 0o644 });
    installs.push({ path: 'snmpd.conf', installTo: '/etc/snmp/snmpd.conf', mode: '0600' });
    restart.push('snmpd');
  }

  // NRPE: the commands this host's nrpe and jvm-over-nrpe checks ask for.
  const probes: { probe: NrpeProbe; check: string }[] = [];
  for (const s of services) {
    if (s.probe.kind === 'nrpe') probes.push({ probe: s.probe, check: s.name });
    if (s.probe.kind === 'jvm' && s.probe.source.kind === 'nrpe')
      probes.push({ probe: s.probe.source.nrpe, check: s.name });
  }
  const commands = new Map<string, NrpeCommand>();
  const ports = new Set<number>();
  const plugins = new Set<string>();
  for (const { probe, check } of probes) {
    ports.add(probe.port);
    const define = probe.define ?? { plugin: probe.command, args: [], sendArgs: false };
    const plugin = pluginPath(define.plugin);
    if (SHIPPED_PLUGINS.has(define.plugin)) plugins.add(define.plugin);
    const existing = commands.get(probe.command);
    if (existing === undefined) {
      commands.set(probe.command, { name: probe.command, plugin, args: define.args, usedBy: [check] });
    } else if (existing.plugin !== plugin || existing.args.join('\u0000') !== define.args.join('\u0000')) {
      throw new Error(
        `checks ${existing.usedBy.join(', ')} and ${check} of ${hostName} define nrpe command ${probe.command} differently: give one of them another command name`,
      );
    } else existing.usedBy.push(check);
  }
  if (ports.size > 1) {
    throw new Error(
      `the nrpe checks of ${hostName} use ports ${[...ports].join(' and ')}; one nrpe daemon listens on one port`,
    );
  }
  if (commands.size > 0) {
    const content = renderNrpeCfg({
      host: hostName,
      specFile: input.specFile,
      port: [...ports][0] ?? 5666,
      listenAddress,
      monitoringSubnet: subnet,
      commands: [...commands.values()],
      dontBlameNrpe: probes.some((p) => p.probe.define?.sendArgs === true),
    });
    files.push({ path: 'nrpe.cfg', content: restoreReferences(content, secrets), mode: 0o644 });
    installs.push({ path: 'nrpe.cfg', installTo: '/etc/nagios/nrpe.cfg', mode: '0644' });
    restart.push('nagios-nrpe-server');
  }
  for (const plugin of plugins) {
    files.push({ path: `plugins/${plugin}`, content: readShipped(plugin), mode: 0o755 });
  }

  // Host lockdown (SSH from the bastion, NRPE/SNMP from monitoring) when the spec says where the bastion is.
  let extra: string[] = [];
  // (access.bastion.address, or for a vpc bastion of an AWS blueprint spec, its pinned address)
  const fullSpec = input.spec as Parameters<typeof hostLockdownFiles>[0];
  if (lockdownSources(fullSpec, hostName) !== undefined) {
    const lockdown = hostLockdownFiles(fullSpec, hostName);
    for (const f of lockdown) files.push({ path: f.path, content: f.content, mode: 0o644 });
    extra = ['if [ -z "$ROOT" ]; then', ...lockdownInstallLines(lockdown).map((l) => `  ${l}`), 'fi'];
  }

  files.push({
    path: 'install.sh',
    content: renderInstallScript({
      host: hostName,
      secrets: [...secrets].sort(),
      files: installs,
      plugins: [...plugins],
      restart,
      extra,
    }),
    mode: 0o755,
  });
  return files;
}

function readShipped(plugin: string): string {
  return readFileSync(path.join(STEWARD_PLUGIN_DIR, plugin), 'utf8');
}

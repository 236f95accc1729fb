import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import type { Deployment, NrpeProbe, SnmpAgentSpec } from '../core/model.ts';
import { STEWARD_PLUGIN_DIR } from '../probes/jvm/index.ts';
import type { Spec } from '../spec/index.ts';
import { type HostBackup, hostBackup } from './host-backup.ts';
import { hostLockdownFiles, lockdownSources } from './host-lockdown.ts';
import { renderInstallScript } from './install-script.ts';
import { lockdownInstallLines } from './lockdown-install.ts';
import { monitoringSourceOf, noMonitoringSourceError } from './monitoring-source.ts';
import { type NrpeCommand, renderNrpeCfg } from './nrpe-cfg.ts';
import { restoreReferences } from './secret-references.ts';
import { renderSnmpdConf } from './snmpd-conf.ts';

/** A file `steward render host` writes into --out. */
export interface RenderedFile {
  path: string;
  content: string;
  /** File mode in the --out directory. */
  mode: number;
  /** Where install.sh puts it on the host (none for install.sh itself). */
  installTo?: string;
}

export interface RenderHostInput {
  deployment: Deployment;
  /** The validated spec document (monitoring source, the lockdown's access section, the blueprint). */
  spec: Spec;
  host: string;
  specFile: string;
  /** Steward's base URL as the host reaches it (host backup jobs report there). */
  stewardUrl?: string;
  /** CA certificate on the host that verifies Steward's TLS certificate. */
  stewardCa?: string;
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
  // Whom the agents answer: monitoring.subnet, or this environment's monitoring host (AWS blueprint).
  const source = monitoringSourceOf(input.spec, hostName);
  const subnetFor = (): string => {
    if (source === undefined) throw noMonitoringSourceError(hostName, input.spec);
    return source.subnet;
  };
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
      monitoringSubnet: subnetFor(),
      listenAddress,
    });
    files.push({
      path: 'snmpd.conf',
      content: restoreReferences(content, secrets),
      mode: 0o644,
      installTo: '/etc/snmp/snmpd.conf',
    });
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
      monitoringSubnet: subnetFor(),
      commands: [...commands.values()],
      dontBlameNrpe: probes.some((p) => p.probe.define?.sendArgs === true),
    });
    files.push({
      path: 'nrpe.cfg',
      content: restoreReferences(content, secrets),
      mode: 0o644,
      installTo: '/etc/nagios/nrpe.cfg',
    });
    installs.push({ path: 'nrpe.cfg', installTo: '/etc/nagios/nrpe.cfg', mode: '0644' });
    restart.push('nagios-nrpe-server');
  }
  for (const plugin of plugins) {
    files.push({
      path: `plugins/${plugin}`,
      content: readShipped(plugin),
      mode: 0o755,
      installTo: `$STEWARD_PLUGIN_DIR/${plugin}`,
    });
  }

  // Host lockdown (SSH from the bastion, NRPE/SNMP from monitoring) when the spec says where the bastion is.
  let extra: string[] = [];
  // (access.bastion.address, or for a vpc bastion of an AWS blueprint spec, its pinned address)
  if (lockdownSources(input.spec, hostName) !== undefined) {
    const agentPorts = {
      ...(ports.size > 0 ? { nrpe: [...ports][0]! } : {}),
      ...(agents.size > 0 ? { snmp: [...new Set([...agents.values()].map((a) => a.port))] } : {}),
    };
    const lockdown = hostLockdownFiles(input.spec, hostName, agentPorts);
    for (const f of lockdown)
      files.push({ path: f.path, content: f.content, mode: 0o644, installTo: f.installTo });
    extra = ['if [ -z "$ROOT" ]; then', ...lockdownInstallLines(lockdown).map((l) => `  ${l}`), 'fi'];
  }

  // Backup jobs whose files live on this host run here and report to Steward.
  const backup = backupOf(input, source?.monitoringHost);
  if (backup !== undefined) files.push(...backup.files);

  files.push({
    path: 'install.sh',
    content: renderInstallScript({
      host: hostName,
      secrets: [...secrets].sort(),
      files: installs,
      plugins: [...plugins],
      restart,
      extra,
      ...(backup === undefined
        ? {}
        : {
            backup: { copies: backup.copies, timers: backup.timers, needs: backup.needs },
          }),
    }),
    mode: 0o755,
  });
  return files;
}

/** The host's backup jobs, reporting to --steward-url or the blueprint's monitoring host. */
function backupOf(input: RenderHostInput, monitoringHost: string | undefined): HostBackup | undefined {
  const { deployment, host } = input;
  const jobs = (deployment.backup?.jobs ?? []).filter((j) => j.runOn === 'host' && j.host === host);
  if (jobs.length === 0) return undefined;
  const port = input.spec.monitoring?.dashboardPort ?? 8443;
  const stewardUrl =
    input.stewardUrl ?? (monitoringHost === undefined ? undefined : `https://${monitoringHost}:${port}`);
  if (stewardUrl === undefined) {
    throw new Error(
      `${host} runs backup job ${jobs.map((j) => j.name).join(', ')}, which reports to Steward: pass --steward-url https://monitor.internal:${port} (the address of steward serve as ${host} reaches it)`,
    );
  }
  return hostBackup(deployment, host, {
    stewardUrl,
    ...(input.stewardCa !== undefined ? { caFile: input.stewardCa } : {}),
  });
}

function readShipped(plugin: string): string {
  return readFileSync(path.join(STEWARD_PLUGIN_DIR, plugin), 'utf8');
}

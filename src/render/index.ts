/**
 * `steward render host`: the configuration a monitored host's agents need (snmpd.conf, nrpe.cfg,
 * install.sh) and its lockdown (sshd drop-in, nftables), from the spec, without secrets.
 */

export type { InstallScriptInput } from './install-script.ts';
export { renderInstallScript } from './install-script.ts';
export * from './lockdown.ts';
export type { NrpeCfgInput, NrpeCommand } from './nrpe-cfg.ts';
export { renderNrpeCfg } from './nrpe-cfg.ts';
export type { RenderedFile, RenderHostInput } from './render-host.ts';
export { renderHost } from './render-host.ts';
export { markerEnvironment, restoreReferences } from './secret-references.ts';
export type { SnmpdConfInput } from './snmpd-conf.ts';
export { renderSnmpdConf } from './snmpd-conf.ts';

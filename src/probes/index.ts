/**
 * Probes: how a check gets its result. Nagios plugins forked exactly as Nagios runs them, and native
 * TCP and HTTP(S) probes that report like check_tcp and check_http without forking.
 */

export type { ParsedPerfdata } from './perfdata/index.ts';
export { parsePerfdata } from './perfdata/index.ts';
export type { PluginOutput, PluginSpawnerStats } from './plugin/index.ts';
export {
  defaultPluginSpawners,
  MAX_PLUGIN_OUTPUT_BYTES,
  PluginSpawnerPool,
  parsePluginOutput,
  pluginSpawnerStats,
  usePluginSpawnerPool,
} from './plugin/index.ts';
export type { ProbeContext } from './run-probe.ts';
export { runProbe } from './run-probe.ts';
export type { ParsedThresholdRange, ThresholdRange } from './thresholds/index.ts';
export { checkThresholds, evaluateThresholds, parseThresholdRange, rangeAlerts } from './thresholds/index.ts';

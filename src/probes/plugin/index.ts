export type { PluginOutput } from './parse-plugin-output.ts';
export { parsePluginOutput, UNPARSABLE_PERFDATA_NOTE } from './parse-plugin-output.ts';
export type { PluginExit } from './plugin-exit.ts';
export { MAX_PLUGIN_OUTPUT_BYTES, resultFromPluginExit } from './plugin-exit.ts';
export type { PluginLocation } from './resolve-plugin.ts';
export { resolvePlugin } from './resolve-plugin.ts';
export type { PluginRunContext } from './run-plugin.ts';
export { KILL_GRACE_MS, runPlugin } from './run-plugin.ts';

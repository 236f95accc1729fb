/**
 * JVM probe: heap used % of max, GC time share and threads, over Jolokia HTTP or agentless with
 * the check_jvm_jstat plugin Steward ships (locally or over NRPE).
 */
export type { JolokiaReading } from './jolokia.ts';
export { readJolokia } from './jolokia.ts';
export type { JvmRunOptions } from './run-jvm.ts';
export { runJvm, STEWARD_PLUGIN_DIR } from './run-jvm.ts';

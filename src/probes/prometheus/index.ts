/**
 * Prometheus/OpenMetrics scrape probe: fetch a metrics page, select a series by name and labels,
 * threshold it, store the selected series (and, for a node exporter, the host's graph series).
 */
export {
  CPU_SECONDS,
  FILESYSTEM,
  LOAD,
  MAX_HOST_FILESYSTEMS,
  MAX_HOST_NETWORK_DEVICES,
  MEMORY,
  NETWORK,
  type NodeHostMetrics,
  nodeHostMetrics,
} from './node-host-metrics.ts';
export type { ExpositionSample } from './parse-exposition.ts';
export { parseExposition, selectSamples } from './parse-exposition.ts';
export type { PrometheusRunOptions } from './run-prometheus.ts';
export { MAX_STORED_SERIES, runPrometheus } from './run-prometheus.ts';

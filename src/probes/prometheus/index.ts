/**
 * Prometheus/OpenMetrics scrape probe: fetch a metrics page, select a series by name and labels,
 * threshold it, store the selected series.
 */
export type { ExpositionSample } from './parse-exposition.ts';
export { parseExposition, selectSamples } from './parse-exposition.ts';
export type { PrometheusRunOptions } from './run-prometheus.ts';
export { MAX_STORED_SERIES, runPrometheus } from './run-prometheus.ts';

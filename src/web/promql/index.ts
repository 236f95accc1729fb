// Prometheus-compatible read API with a PromQL subset, so Grafana can chart Steward's metrics.
export { type EvalSeries, evaluate, selectSeries } from './evaluate.ts';
export { type Expr, type Matcher, parsePromQL } from './parse.ts';
export { PROMETHEUS_PREFIX, prometheusRoutes } from './routes.ts';

export { type CheckedModel, Engine, type EngineOptions, type ReloadReport } from './engine.ts';
export { PERFDATA_SERIES } from './perfdata-samples.ts';
export { EngineTelemetry } from './telemetry.ts';
export { downtimeView, type HostView, hostView, type ServiceView, serviceView } from './views.ts';

export { Engine, type CheckedModel, type EngineOptions, type ReloadReport } from './engine.ts';
export { serviceView, hostView, downtimeView, type ServiceView, type HostView } from './views.ts';
export { PERFDATA_SERIES } from './perfdata-samples.ts';
export { EngineTelemetry } from './telemetry.ts';

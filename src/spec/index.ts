/**
 * The spec module: the one place that knows YAML and the spec schema. Everything else consumes
 * the resolved Deployment (src/core/model.ts).
 */
export type { CheckKindKey } from './check-kinds/index.ts';
export { CHECK_KIND_KEYS } from './check-kinds/index.ts';
export type { SpecError } from './errors.ts';
export { formatSpecError } from './errors.ts';
export { specFragmentJsonSchema, specJsonSchema } from './json-schema.ts';
export type { LoadOptions, LoadResult } from './load-spec.ts';
export { loadSpec } from './load-spec.ts';
export type { SpecErrorAt } from './merged-locations.ts';
export { DEFAULT_PLUGIN_DIRS } from './resolve.ts';
export { type AppliedRole, applyRoles } from './role-checks.ts';
export type { CheckSpec, HostCheckSpec } from './schema/check.ts';
export type { EnvironmentSpec } from './schema/environment.ts';
export type { HostSpec } from './schema/host.ts';
export type { RoleSpec } from './schema/role.ts';
export type { Spec, SpecFragment } from './schema/spec.ts';
export { fragmentSchema, specSchema } from './schema/spec.ts';
export type { ThresholdRange } from './schema/threshold.ts';
export { isThresholdRange, parseThresholdRange } from './schema/threshold.ts';

/**
 * steward synth / steward diagram: the AWS blueprint of a deployment as code (CloudFormation
 * through aws-cdk-lib, offline) and its architecture diagram, both from a BlueprintInput.
 */

export {
  type PinnedAddresses,
  pinnedAddresses,
  SUBNET_TIERS,
  type SubnetTier,
  subnetPlan,
} from './addresses.ts';
export type {
  BlueprintBastion,
  BlueprintCi,
  BlueprintDatabase,
  BlueprintEnvironment,
  BlueprintHost,
  BlueprintInput,
  BlueprintMonitoring,
  DatabaseEngine,
} from './blueprint-input.ts';
export {
  BlueprintInputError,
  blueprintInputProblems,
  checkBlueprintInput,
  type InputProblem,
} from './check-input.ts';
export { renderDiagram } from './diagram.ts';
export { type EnvironmentProfile, environmentProfile, isProduction } from './environment-profile.ts';
export { type Component, type Flow, type FlowSource, networkFlows } from './flows.ts';
export {
  type BlueprintFromSpec,
  blueprintFromSpec,
  blueprintInputOf,
  problemsInSpec,
  type SpecProblem,
  specPathOf,
} from './from-spec.ts';
export { type HostFirewallInput, hostFirewallFromSpec, hostFirewallInputs } from './host-firewall.ts';
export { COMPONENT_TAG } from './security-groups.ts';
export {
  type BlueprintApp,
  BlueprintValidationError,
  buildBlueprint,
  type SynthOptions,
  synthesize,
  synthesizeApp,
} from './synthesize.ts';

/**
 * What synth derives from one environment of the input: stack name, production or not, network
 * layout and NAT count. Plain data, so the stack, the diagram and the checklist agree on it.
 */
import type { BlueprintEnvironment, BlueprintInput, DatabaseEngine } from './blueprint-input.ts';

export interface EnvironmentProfile {
  name: string;
  stackName: string;
  production: boolean;
  account?: string;
  region?: string;
  cidr: string;
  /** Explicit zones, or null to let CloudFormation pick two (region-agnostic stacks). */
  availabilityZones: string[] | null;
  azCount: number;
  natGateways: number;
  productClients: string[];
}

export const DEFAULT_VPC_CIDR = '10.0.0.0/16';
export const DEFAULT_AZ_COUNT = 2;
export const INTERNET = '0.0.0.0/0';

/**
 * Production is an environment named prod or production (prod-eu, production-2 ...). Pre-production
 * ("preprod") is not: it gets the cheaper defaults.
 */
export function isProduction(environmentName: string): boolean {
  return /^prod(uction)?($|[-_.0-9])/i.test(environmentName);
}

/** CloudFormation stack names are letters, digits and '-', starting with a letter. */
export function stackNameFor(deployment: string, suffix: string): string {
  const name = `${deployment}-${suffix}`.replace(/[^A-Za-z0-9-]/g, '-');
  return /^[A-Za-z]/.test(name) ? name : `steward-${name}`;
}

export function environmentProfile(input: BlueprintInput, env: BlueprintEnvironment): EnvironmentProfile {
  const production = isProduction(env.name);
  const availabilityZones =
    env.availabilityZones ?? (env.region ? ['a', 'b'].map((zone) => `${env.region}${zone}`) : null);
  const azCount = availabilityZones?.length ?? DEFAULT_AZ_COUNT;
  return {
    name: env.name,
    stackName: stackNameFor(input.deployment, env.name),
    production,
    ...(env.account ? { account: env.account } : {}),
    ...(env.region ? { region: env.region } : {}),
    cidr: env.cidr ?? DEFAULT_VPC_CIDR,
    availabilityZones,
    azCount,
    // One NAT per zone keeps Production reachable when a zone fails; elsewhere one is cheaper.
    natGateways: env.natGateways ?? (production ? azCount : 1),
    productClients: env.productClients ?? [INTERNET],
  };
}

export function accountStackName(input: BlueprintInput): string {
  return stackNameFor(input.deployment, 'account');
}

export function databasePort(engine: DatabaseEngine): number {
  return engine === 'postgres' ? 5432 : 3306;
}

/**
 * Builds the CDK app for a deployment and writes it out: one CloudFormation template per
 * environment plus the account stack (cdk.out layout), and CHECKLIST.md. Offline: no AWS
 * credentials and no lookups; the AwsSolutions checks of cdk-nag run on every synthesis.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { accountStack } from './account-stack.ts';
import type { BlueprintInput } from './blueprint-input.ts';
import { checkBlueprintInput } from './check-input.ts';
import { checklistMarkdown, manualSteps } from './checklist.ts';
import { environmentProfile } from './environment-profile.ts';
import { environmentStack } from './environment-stack.ts';

export interface BlueprintApp {
  app: App;
  accountStack: Stack;
  /** Environment name -> its stack. */
  environmentStacks: Map<string, Stack>;
}

export interface SynthOptions {
  /** Run cdk-nag's AwsSolutions checks (default true); a violation fails synthesis. */
  nag?: boolean;
}

export class BlueprintValidationError extends Error {
  readonly violations: string[];
  constructor(violations: string[], reportPath: string) {
    super(
      `the blueprint breaks ${violations.length} AwsSolutions rule${violations.length === 1 ? '' : 's'} (report: ${reportPath}):\n${violations
        .map((violation) => `  ${violation}`)
        .join('\n')}\nfix the construct, or acknowledge the rule on it in src/synth with the reason`,
    );
    this.name = 'BlueprintValidationError';
    this.violations = violations;
  }
}

/**
 * CDK looks up the zones of a stack with a known account and region (the CLI would ask AWS and
 * cache the answer in cdk.context.json). The input names the zones, so synthesis answers the
 * lookup itself and never needs credentials.
 */
function availabilityZoneContext(input: BlueprintInput): Map<string, string[]> {
  const context = new Map<string, string[]>();
  for (const env of input.environments) {
    const profile = environmentProfile(input, env);
    if (!profile.account || !profile.region || !profile.availabilityZones) continue;
    const key = `availability-zones:account=${profile.account}:region=${profile.region}`;
    context.set(key, [...new Set([...(context.get(key) ?? []), ...profile.availabilityZones])].sort());
  }
  return context;
}

/** Builds the app without writing anything; `app.synth()` writes to outDir. */
export function buildBlueprint(
  input: BlueprintInput,
  outDir: string,
  options: SynthOptions = {},
): BlueprintApp {
  checkBlueprintInput(input);
  const app = new App({
    outdir: outDir,
    analyticsReporting: false,
    stackTraces: false,
    // Server access logs are delivered through a bucket policy, not the legacy log-delivery ACL
    // (ACLs are disabled on every bucket of the blueprint).
    context: { '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true },
  });
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  for (const [key, zones] of availabilityZoneContext(input)) app.node.setContext(key, zones);
  const environmentStacks = new Map<string, Stack>();
  for (const env of input.environments) environmentStacks.set(env.name, environmentStack(app, input, env));
  return { app, accountStack: accountStack(app, input), environmentStacks };
}

interface ValidationReport {
  pluginReports?: {
    pluginName: string;
    violations?: {
      ruleName: string;
      description: string;
      violatingConstructs?: { constructPath: string }[];
    }[];
  }[];
}

function violationsIn(reportPath: string): string[] {
  const report = JSON.parse(readFileSync(reportPath, 'utf8')) as ValidationReport;
  return (report.pluginReports ?? []).flatMap((plugin) =>
    (plugin.violations ?? []).flatMap((violation) =>
      (violation.violatingConstructs ?? []).map(
        (c) => `${violation.ruleName} at ${c.constructPath}: ${violation.description}`,
      ),
    ),
  );
}

/** Synthesizes an app built by buildBlueprint, turning a failed validation into a readable error. */
export function synthesizeApp(blueprint: BlueprintApp): void {
  try {
    blueprint.app.synth();
  } catch (error) {
    const reportPath = join(blueprint.app.outdir, 'validation-report.json');
    let violations: string[] = [];
    try {
      violations = violationsIn(reportPath);
    } catch {
      // No report: not a validation failure.
    }
    if (violations.length > 0) throw new BlueprintValidationError(violations, reportPath);
    throw error;
  }
}

export function synthesize(
  input: BlueprintInput,
  outDir: string,
  options: SynthOptions = {},
): { stacks: string[]; checklist: string[] } {
  mkdirSync(outDir, { recursive: true });
  const blueprint = buildBlueprint(input, outDir, options);
  synthesizeApp(blueprint);
  const checklist = manualSteps(input);
  writeFileSync(join(outDir, 'CHECKLIST.md'), checklistMarkdown(input, checklist));
  return {
    stacks: [blueprint.accountStack, ...blueprint.environmentStacks.values()].map((stack) => stack.stackName),
    checklist,
  };
}

/**
 * The account-level stack: IAM for the provider's operators (a group with the playbook's admin
 * policies and enforced MFA, one user each), an automation role for API tools that is assumed
 * with MFA or from CI through OIDC instead of holding long-lived keys, and the SES identity
 * alerts are sent from.
 */
import { Aws, CfnOutput, Duration, Stack, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as ses from 'aws-cdk-lib/aws-ses';
import type { Construct } from 'constructs';
import type { BlueprintInput } from './blueprint-input.ts';
import { ConstructIds } from './construct-ids.ts';
import { accountStackName } from './environment-profile.ts';
import { blueprintSynthesizer } from './environment-stack.ts';
import { IAM_USERNAME_VARIABLE, mfaPolicyStatements } from './mfa-policy.ts';
import { acknowledgeRule } from './nag.ts';

/** The playbook's admin scope for operators: VPC, EC2, RDS, S3, SES and Route 53. */
export const OPERATOR_MANAGED_POLICIES = [
  'AmazonVPCFullAccess',
  'AmazonEC2FullAccess',
  'AmazonRDSFullAccess',
  'AmazonS3FullAccess',
  'AmazonSESFullAccess',
  'AmazonRoute53FullAccess',
];
/** The automation role also deploys the blueprint's stacks. */
export const AUTOMATION_MANAGED_POLICIES = [...OPERATOR_MANAGED_POLICIES, 'AWSCloudFormationFullAccess'];

/** IAM is global, SES regional: the stack goes where the first environment with an account goes. */
function accountStackEnv(input: BlueprintInput): { account?: string; region?: string } | undefined {
  const home = input.environments.find((env) => env.account) ?? input.environments.find((env) => env.region);
  if (!home) return undefined;
  return {
    ...(home.account ? { account: home.account } : {}),
    ...(home.region ? { region: home.region } : {}),
  };
}

function acknowledgeManagedPolicies(scope: Construct, names: string[], who: string): void {
  for (const name of names) {
    acknowledgeRule(
      scope,
      `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/${name}]`,
      `The playbook gives ${who} AWS's own admin policy for this service; AWS keeps it current as the service grows.`,
    );
  }
}

export function accountStack(scope: Construct, input: BlueprintInput): Stack {
  const name = accountStackName(input);
  const env = accountStackEnv(input);
  const stack = new Stack(scope, name, {
    stackName: name,
    description: `Steward blueprint: ${input.deployment} account (IAM with enforced MFA, automation role, SES)`,
    synthesizer: blueprintSynthesizer(),
    ...(env ? { env } : {}),
  });
  Tags.of(stack).add('steward:deployment', input.deployment);

  const ownUser = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:user/${IAM_USERNAME_VARIABLE}`;
  const mfaDevices = `arn:${Aws.PARTITION}:iam::${Aws.ACCOUNT_ID}:mfa/*`;
  const requireMfa = new iam.ManagedPolicy(stack, 'RequireMfa', {
    managedPolicyName: `${input.deployment}-require-mfa`,
    description: 'Denies everything without MFA except enrolling and managing one own MFA device.',
    document: iam.PolicyDocument.fromJson({
      Version: '2012-10-17',
      Statement: mfaPolicyStatements({ ownUser, mfaDevices }),
    }),
  });
  acknowledgeRule(
    requireMfa,
    'AwsSolutions-IAM5[Resource::*]',
    'Listing MFA devices and the password policy has no narrower resource; the deny statement must cover every resource.',
  );
  acknowledgeRule(
    requireMfa,
    'AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:mfa/*]',
    'A user names their new virtual MFA device; the device name is not known in advance.',
  );
  acknowledgeRule(
    requireMfa,
    `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:iam::<AWS::AccountId>:user/${IAM_USERNAME_VARIABLE}]`,
    `Not a wildcard: ${IAM_USERNAME_VARIABLE} restricts each operator to their own user.`,
  );

  const operators = new iam.Group(stack, 'Operators', {
    groupName: `${input.deployment}-operators`,
    managedPolicies: [
      ...OPERATOR_MANAGED_POLICIES.map((policy) => iam.ManagedPolicy.fromAwsManagedPolicyName(policy)),
      requireMfa,
    ],
  });
  acknowledgeManagedPolicies(operators, OPERATOR_MANAGED_POLICIES, 'operators');

  const automation = new iam.Role(stack, 'AutomationRole', {
    roleName: `${input.deployment}-automation`,
    description:
      'API tools (steward synth deploys, scripts): assumed with MFA or from CI, never with long-lived keys.',
    assumedBy: new iam.AccountRootPrincipal().withConditions({
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
    }),
    maxSessionDuration: Duration.hours(1),
    managedPolicies: AUTOMATION_MANAGED_POLICIES.map((policy) =>
      iam.ManagedPolicy.fromAwsManagedPolicyName(policy),
    ),
  });
  acknowledgeManagedPolicies(automation, AUTOMATION_MANAGED_POLICIES, 'the automation role');
  automation.grantAssumeRole(operators);

  if (input.ci) {
    const audience = input.ci.audience ?? 'sts.amazonaws.com';
    const provider = new iam.OidcProviderNative(stack, 'CiOidcProvider', {
      url: `https://${input.ci.issuer}`,
      clientIds: [audience],
    });
    automation.assumeRolePolicy?.addStatements(
      new iam.PolicyStatement({
        actions: ['sts:AssumeRoleWithWebIdentity'],
        principals: [new iam.FederatedPrincipal(provider.oidcProviderArn)],
        conditions: {
          StringEquals: { [`${input.ci.issuer}:aud`]: audience },
          StringLike: { [`${input.ci.issuer}:sub`]: input.ci.subjects },
        },
      }),
    );
  }

  const ids = new ConstructIds();
  for (const operator of input.operators) {
    const user = new iam.User(stack, ids.next('Operator', operator.name), {
      userName: operator.name,
      groups: [operators],
    });
    Tags.of(user).add('steward:operator', operator.name);
  }

  const { alertEmail, hostedZone } = input.monitoring;
  if (alertEmail) {
    // Inside the deployment's hosted zone the whole domain is verified with DKIM records;
    // elsewhere the address itself is (SES mails it a link: see the checklist).
    const zoneName = hostedZone?.name.replace(/\.$/, '');
    const identity =
      hostedZone && alertEmail.endsWith(`@${zoneName}`)
        ? ses.Identity.publicHostedZone(hostedZoneOf(stack, hostedZone))
        : ses.Identity.email(alertEmail);
    new ses.EmailIdentity(stack, 'AlertMailIdentity', { identity });
  }

  new CfnOutput(stack, 'AutomationRoleArn', {
    value: automation.roleArn,
    description: 'Assume with MFA (or from CI) to run API tools.',
  });
  return stack;
}

function hostedZoneOf(scope: Construct, hostedZone: { id: string; name: string }) {
  return route53.PublicHostedZone.fromPublicHostedZoneAttributes(scope, 'MailZone', {
    hostedZoneId: hostedZone.id,
    zoneName: hostedZone.name,
  });
}

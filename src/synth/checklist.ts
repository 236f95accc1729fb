/**
 * What the blueprint cannot do by itself (root-user settings, human verification steps, things
 * with no CloudFormation resource), as a checklist written next to the templates.
 */

import { pinnedAddresses } from './addresses.ts';
import { STEWARD_SPEC_PATH } from './bastion.ts';
import type { BlueprintInput } from './blueprint-input.ts';
import { accountStackName, environmentProfile } from './environment-profile.ts';
import { dashboardDomain } from './monitoring.ts';

export function manualSteps(input: BlueprintInput): string[] {
  const steps: string[] = [];
  const stacks = input.environments.map((env) => environmentProfile(input, env).stackName);
  const { certificateArn, domain, hostedZone, alertEmail } = input.monitoring;

  steps.push(
    'Root user: enable MFA (a hardware key kept by the customer), delete any root access keys, and keep the root credentials offline.',
    "Account settings (root only): set the alternate security and operations contacts to the provider's on-call address.",
    "IAM password policy (no CloudFormation resource): at least 14 characters, all character classes, no reuse of the last 24, expiry per the customer's policy.",
  );
  for (const operator of input.operators) {
    steps.push(
      `Operator ${operator.name}: create a console password that must be changed at first sign-in; the user then enrols an MFA device (until then every action but enrolment is denied).`,
    );
  }
  steps.push(
    `API tools use the role ${input.deployment}-automation (assumed with MFA${input.ci ? ` or from CI through ${input.ci.issuer}` : ''}). If the customer insists on access keys instead, give them to one dedicated user, rotate them every 90 days (create the new key, switch, deactivate then delete the old one) and review "last used" monthly.`,
  );
  if (alertEmail) {
    const zoneName = hostedZone?.name.replace(/\.$/, '');
    steps.push(
      hostedZone && alertEmail.endsWith(`@${zoneName}`)
        ? `SES: the DKIM records of ${zoneName} are created in its hosted zone; wait until the identity shows "verified".`
        : `SES: open the verification link that SES mails to ${alertEmail} after deployment.`,
      'SES: request production access (leave the sandbox) in the region of the account stack, or alert mail reaches only verified addresses.',
    );
  }
  const needsManualCertificate = !certificateArn && domain && !hostedZone;
  for (const env of input.environments) {
    const name = dashboardDomain(input, env.name);
    if (needsManualCertificate && name) {
      steps.push(
        `ACM (${env.name}): add the DNS validation CNAME that ACM shows for ${name}, or the stack waits for it.`,
      );
    }
    if (name && !hostedZone) {
      steps.push(
        `DNS (${env.name}): point ${name} (CNAME) at the DashboardUrl load balancer in the outputs of ${environmentProfile(input, env).stackName}.`,
      );
    }
  }
  if (!certificateArn && !domain) {
    steps.push(
      "Dashboard certificate: pass DashboardCertificateArn (an ACM certificate in the stack's region) when deploying each environment stack.",
    );
  }
  if (input.bastion.placement === 'datacenter') {
    steps.push(
      `Datacenter bastion: connect the datacenter to each VPC (site-to-site VPN or Direct Connect); hosts accept SSH from ${input.bastion.address} only, so that must be the address the VPC sees.`,
    );
  } else {
    steps.push(
      `Bastion: install steward in /opt/steward and the spec in ${STEWARD_SPEC_PATH}; the user data starts steward gateway on port ${input.bastion.port}.`,
    );
    for (const env of input.environments) {
      const profile = environmentProfile(input, env);
      const monitoring = pinnedAddresses(profile).monitoring;
      steps.push(
        `Bastion audit (${env.name}): on the monitoring host run \`steward token create --name bastion-${env.name} --role audit-writer --data /var/lib/steward/data\` and \`openssl x509 -in /var/lib/steward/data/tls/cert.pem -noout -fingerprint -sha256\`; on the bastion write /etc/steward/steward-gateway.env with STEWARD_TOKEN=<the token> and STEWARD_ARGS=--name bastion-${env.name} --report-to https://${monitoring}:${input.monitoring.dashboardPort} --report-fingerprint <the fingerprint>, then restart steward-gateway: its audit log then shows in the dashboard.`,
      );
    }
  }
  steps.push(
    `Monitoring host: install steward in /opt/steward and the spec in ${STEWARD_SPEC_PATH}; the user data starts steward serve on port ${input.monitoring.dashboardPort}.`,
    'Each VPC: remove the rules of the default security group (nothing uses it).',
    "If the customer's organization has no CloudTrail trail and GuardDuty yet, enable both for the account.",
    `Deploy ${accountStackName(input)} first, then ${stacks.join(', ')}: \`aws cloudformation deploy --template-file <stack>.template.json --stack-name <stack> --capabilities CAPABILITY_NAMED_IAM --s3-bucket <a bucket of yours>\` (CloudFormation takes templates over 51,200 bytes only from S3), or \`cdk deploy --app <this directory> --all\` once the account is CDK-bootstrapped. The templates carry no Lambda or file assets.`,
  );
  return steps;
}

export function checklistMarkdown(input: BlueprintInput, steps: string[]): string {
  return [
    `# ${input.deployment}: manual steps`,
    '',
    'The blueprint (generated by `steward synth`) cannot do these. Tick them off once per account.',
    '',
    ...steps.map((step) => `- [ ] ${step}`),
    '',
  ].join('\n');
}

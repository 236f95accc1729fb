/**
 * One CloudFormation stack per environment: network, security groups, bastion, monitoring,
 * application hosts, database and backup bucket, all derived from the same input.
 */
import { CliCredentialsStackSynthesizer, Stack, Tags } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { applicationHosts } from './application-hosts.ts';
import { backupBucket, DEFAULT_BACKUP_RETENTION_DAYS, grantBackupWriter } from './backup-bucket.ts';
import { bastionInstance } from './bastion.ts';
import type { BlueprintEnvironment, BlueprintInput } from './blueprint-input.ts';
import { backupBucketName } from './check-input.ts';
import { database } from './database.ts';
import { environmentProfile } from './environment-profile.ts';
import { environmentComponents, networkFlows } from './flows.ts';
import { logBucket } from './log-bucket.ts';
import { monitoring } from './monitoring.ts';
import { blueprintVpc } from './network.ts';
import { securityGroups } from './security-groups.ts';

/**
 * Deployed with the caller's credentials (plain CloudFormation, or `cdk deploy --app DIR`): no
 * bootstrap version rule and no deploy roles; the templates carry no Lambda or file assets.
 */
export function blueprintSynthesizer(): CliCredentialsStackSynthesizer {
  return new CliCredentialsStackSynthesizer();
}

export function environmentStack(scope: Construct, input: BlueprintInput, env: BlueprintEnvironment): Stack {
  const profile = environmentProfile(input, env);
  const stack = new Stack(scope, profile.stackName, {
    stackName: profile.stackName,
    description: `Steward blueprint: ${input.deployment} ${env.name} (network, bastion, monitoring, data)`,
    synthesizer: blueprintSynthesizer(),
    ...(profile.account || profile.region
      ? {
          env: {
            ...(profile.account ? { account: profile.account } : {}),
            ...(profile.region ? { region: profile.region } : {}),
          },
        }
      : {}),
    terminationProtection: profile.production,
  });
  Tags.of(stack).add('steward:deployment', input.deployment);
  Tags.of(stack).add('steward:environment', env.name);

  const logs = logBucket(stack);
  const vpc = blueprintVpc(stack, profile, logs);
  const groups = securityGroups(stack, vpc, environmentComponents(input, env), networkFlows(input, env));

  if (input.bastion.placement === 'vpc') bastionInstance(stack, input, profile, vpc, groups.get('bastion')!);
  const { instance: monitoringHost } = monitoring(
    stack,
    input,
    profile,
    vpc,
    { host: groups.get('monitoring')!, loadBalancer: groups.get('dashboard-lb')! },
    logs,
  );
  const hosts = applicationHosts(stack, input, env, vpc, groups, logs);
  if (env.database) database(stack, env.database, profile, vpc, groups.get('database')!);

  const backups = backupBucket(
    stack,
    backupBucketName(input, env.name),
    input.backupBucket?.retentionDays ?? DEFAULT_BACKUP_RETENTION_DAYS,
    logs,
  );
  // steward backup runs on the monitoring host, and on hosts that back up their own files.
  grantBackupWriter(backups, monitoringHost);
  for (const host of env.hosts.filter((h) => h.runsBackups))
    grantBackupWriter(backups, hosts.get(host.name)!);
  return stack;
}

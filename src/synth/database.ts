/**
 * The environment's RDS database in the isolated data subnets: encrypted, automated backups,
 * Multi-AZ and deletion protection in Production, the master password kept by RDS in Secrets
 * Manager (rotated by RDS, so no rotation Lambda to deploy).
 */
import { CfnOutput, Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import type { Construct } from 'constructs';
import type { BlueprintDatabase } from './blueprint-input.ts';
import type { EnvironmentProfile } from './environment-profile.ts';
import { acknowledgeRule } from './nag.ts';
import { SUBNET_GROUPS } from './network.ts';

/**
 * The current long-term versions; autoMinorVersionUpgrade keeps them patched. PostgreSQL takes a
 * bare major version, MySQL and MariaDB need a full one in CloudFormation.
 */
function engineOf(database: BlueprintDatabase): { engine: rds.IInstanceEngine; logs: string[] } {
  switch (database.engine) {
    case 'postgres':
      return {
        engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17 }),
        logs: ['postgresql', 'upgrade'],
      };
    case 'mysql':
      return {
        engine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_4_10 }),
        logs: ['error', 'general', 'slowquery'],
      };
    case 'mariadb':
      return {
        engine: rds.DatabaseInstanceEngine.mariaDb({ version: rds.MariaDbEngineVersion.VER_11_4_10 }),
        logs: ['error', 'general', 'slowquery'],
      };
  }
}

export function defaultBackupRetentionDays(profile: EnvironmentProfile): number {
  return profile.production ? 35 : 7;
}

export function database(
  scope: Construct,
  database: BlueprintDatabase,
  profile: EnvironmentProfile,
  vpc: ec2.IVpc,
  securityGroup: ec2.ISecurityGroup,
): rds.DatabaseInstance {
  const { engine, logs } = engineOf(database);
  const instance = new rds.DatabaseInstance(scope, 'Database', {
    engine,
    instanceType: new ec2.InstanceType(
      database.instanceClass ?? (profile.production ? 'm7g.large' : 't4g.medium'),
    ),
    vpc,
    vpcSubnets: { subnetGroupName: SUBNET_GROUPS.data },
    securityGroups: [securityGroup],
    multiAz: profile.production,
    deletionProtection: profile.production,
    storageEncrypted: true,
    storageType: rds.StorageType.GP3,
    allocatedStorage: 50,
    maxAllocatedStorage: 500,
    backupRetention: Duration.days(database.backupRetentionDays ?? defaultBackupRetentionDays(profile)),
    copyTagsToSnapshot: true,
    iamAuthentication: true,
    manageMasterUserPassword: true,
    credentials: rds.Credentials.fromUsername('steward_admin'),
    cloudwatchLogsExports: logs,
    publiclyAccessible: false,
    autoMinorVersionUpgrade: true,
    removalPolicy: RemovalPolicy.SNAPSHOT,
  });
  acknowledgeRule(
    instance,
    'AwsSolutions-RDS11',
    'The default port is kept: the security group admits only the application hosts and the monitoring host.',
  );
  if (!profile.production) {
    acknowledgeRule(
      instance,
      'AwsSolutions-RDS3',
      'Single-AZ outside Production by design: Multi-AZ doubles the cost for no customer-facing gain.',
    );
    acknowledgeRule(
      instance,
      'AwsSolutions-RDS10',
      'Deletion protection only in Production, so test environments can be torn down.',
    );
  }
  new CfnOutput(scope, 'DatabaseEndpoint', {
    value: instance.dbInstanceEndpointAddress,
    description: 'The RDS endpoint.',
  });
  return instance;
}

/**
 * The backup bucket `steward backup` writes to: encrypted, versioned, public access blocked,
 * TLS-only, backups expiring after the retention period (older versions soon after), moved to
 * infrequent access after 30 days.
 */
import { CfnOutput, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledgeRule } from './nag.ts';

export const DEFAULT_BACKUP_RETENTION_DAYS = 90;
/** S3 moves objects to Standard-IA no sooner than 30 days after creation. */
const INFREQUENT_ACCESS_AFTER_DAYS = 30;

export function backupBucket(
  scope: Construct,
  name: string | undefined,
  retentionDays: number,
  logs: s3.IBucket,
): s3.Bucket {
  const transitions =
    retentionDays > INFREQUENT_ACCESS_AFTER_DAYS
      ? [
          {
            storageClass: s3.StorageClass.INFREQUENT_ACCESS,
            transitionAfter: Duration.days(INFREQUENT_ACCESS_AFTER_DAYS),
          },
        ]
      : [];
  const bucket = new s3.Bucket(scope, 'BackupBucket', {
    ...(name ? { bucketName: name } : {}),
    encryption: s3.BucketEncryption.S3_MANAGED,
    versioned: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    serverAccessLogsBucket: logs,
    serverAccessLogsPrefix: 'backup-bucket/',
    lifecycleRules: [
      {
        id: 'expire-backups',
        expiration: Duration.days(retentionDays),
        noncurrentVersionExpiration: Duration.days(7),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
        transitions,
      },
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  new CfnOutput(scope, 'BackupBucketName', {
    value: bucket.bucketName,
    description: 'Where steward backup writes.',
  });
  return bucket;
}

/**
 * What steward backup needs on the monitoring host: list the bucket, read, write and prune
 * backup objects. Spelled out instead of grantReadWrite, whose wildcard actions cover more.
 */
export function grantBackupWriter(bucket: s3.Bucket, host: ec2.Instance): void {
  host.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:ListBucket', 's3:GetBucketLocation'],
      resources: [bucket.bucketArn],
    }),
  );
  host.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [bucket.arnForObjects('*')],
    }),
  );
  const bucketId = Stack.of(bucket).getLogicalId(bucket.node.defaultChild as s3.CfnBucket);
  acknowledgeRule(
    host.role,
    `AwsSolutions-IAM5[Resource::<${bucketId}.Arn>/*]`,
    'Backup objects are named by date and host as they are taken; the grant covers this one bucket only.',
  );
}

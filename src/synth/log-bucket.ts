import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledgeRule } from './nag.ts';

/** Days access logs and flow logs are kept. */
export const LOG_RETENTION_DAYS = 365;

/**
 * The environment's log bucket: VPC flow logs, load balancer access logs and the backup bucket's
 * server access logs. SSE-S3, because load balancers cannot write to KMS-encrypted buckets.
 */
export function logBucket(scope: Construct): s3.Bucket {
  const bucket = new s3.Bucket(scope, 'LogBucket', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    lifecycleRules: [
      {
        id: 'expire-logs',
        expiration: Duration.days(LOG_RETENTION_DAYS),
        abortIncompleteMultipartUploadAfter: Duration.days(7),
      },
    ],
    removalPolicy: RemovalPolicy.RETAIN,
  });
  acknowledgeRule(
    bucket,
    'AwsSolutions-S1',
    'This is the access-log bucket itself; logging it into itself would loop.',
  );
  return bucket;
}

/**
 * Load balancer access logs need the region's log-delivery principal, known only when the
 * environment names its region; a region-agnostic stack goes without and says why.
 */
export function enableAccessLogs(
  loadBalancer: elbv2.BaseLoadBalancer,
  logs: s3.IBucket,
  prefix: string,
): void {
  if (!Token.isUnresolved(Stack.of(loadBalancer).region)) {
    loadBalancer.logAccessLogs(logs, prefix);
    return;
  }
  acknowledgeRule(
    loadBalancer,
    'AwsSolutions-ELB2',
    'Region-agnostic stack: access-log delivery needs the region; set the environment region to enable access logs.',
  );
}

/**
 * An environment's AWS settings, read by `steward synth`: where its stack goes, its VPC and its
 * database. All optional: a spec used only for monitoring leaves them out.
 */
import { z } from 'zod';
import { withHint } from './message.ts';
import { cidrSchema } from './network.ts';

export const databaseSchema = z
  .strictObject({
    engine: z
      .enum(['postgres', 'mysql', 'mariadb'], {
        error: withHint('expected postgres, mysql or mariadb', 'write the RDS engine, e.g. engine: postgres'),
      })
      .describe('The RDS engine: postgres, mysql or mariadb.'),
    instanceClass: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]*\.[a-z0-9]+$/,
        withHint('not an RDS instance class', 'write it without the db. prefix, e.g. t4g.medium'),
      )
      .optional()
      .describe(
        'RDS instance class without "db.", e.g. t4g.medium (default t4g.medium, m7g.large in production).',
      ),
    backupRetentionDays: z
      .number({ error: (issue) => (issue.input === undefined ? undefined : 'expected a number of days') })
      .int(withHint('a whole number of days', 'write e.g. 14'))
      .min(1, withHint('RDS keeps automated backups 1 to 35 days', 'write a number from 1 to 35'))
      .max(35, withHint('RDS keeps automated backups 1 to 35 days', 'write a number from 1 to 35'))
      .optional()
      .describe('Days of automated backups, 1-35 (default 35 in production, 7 elsewhere).'),
  })
  .describe("The environment's database (RDS, encrypted; Multi-AZ with deletion protection in production).");

export const environmentAwsShape = {
  account: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? undefined
          : withHint(
              'expected an AWS account id as a string',
              'quote the 12 digits, e.g. account: "012345678901" (a number would lose leading zeros)',
            ),
    })
    .regex(/^\d{12}$/, withHint('an AWS account id is 12 digits', 'write e.g. account: "123456789012"'))
    .optional()
    .describe(
      "The environment's AWS account id, 12 digits in quotes; omitted: the stack deploys to any account.",
    ),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/, withHint('not an AWS region', 'write e.g. eu-west-1'))
    .optional()
    .describe('The AWS region, e.g. eu-west-1; omitted: the stack deploys to any region.'),
  cidr: cidrSchema.optional().describe("The VPC's IPv4 CIDR, /16 to /21 (default 10.0.0.0/16)."),
  availabilityZones: z
    .array(z.string().min(1))
    .min(2, withHint('a VPC spans two or more availability zones', 'list e.g. [eu-west-1a, eu-west-1b]'))
    .optional()
    .describe("Availability zones to span (default the region's a and b zones)."),
  natGateways: z
    .number({
      error: (issue) => (issue.input === undefined ? undefined : 'expected a number of NAT gateways'),
    })
    .int(withHint('a whole number of NAT gateways', 'write 1, or one per availability zone'))
    .min(
      1,
      withHint(
        'the monitoring host reaches alert services only through NAT',
        'write 1 for a shared gateway, or one per zone',
      ),
    )
    .optional()
    .describe('NAT gateways (default one per availability zone in production, one shared elsewhere).'),
  productClients: z
    .array(cidrSchema)
    .optional()
    .describe('Who may reach the product load balancer on the product ports, as CIDRs (default 0.0.0.0/0).'),
  database: databaseSchema.optional(),
};

/**
 * `monitoring:` where the monitoring services run and how their dashboard is reached. `steward
 * synth` builds the monitoring host, its HTTPS load balancer and the alert mail identity from it.
 */
import { z } from 'zod';
import { instanceTypeSchema } from './instance-type.ts';
import { withHint } from './message.ts';
import { cidrSchema, portSchema } from './network.ts';

export const DEFAULT_DASHBOARD_PORT = 8443;

export const monitoringSchema = z
  .strictObject({
    subnet: cidrSchema
      .optional()
      .describe(
        'The monitoring subnet, where NRPE and SNMP polls come from (hosts accept them only from it).',
      ),
    dashboardPort: portSchema
      .optional()
      .describe(
        `The port \`steward serve\` listens on (HTTPS) behind the dashboard load balancer (default ${DEFAULT_DASHBOARD_PORT}).`,
      ),
    certificateArn: z
      .string()
      .regex(
        /^arn:aws[\w-]*:acm:/,
        withHint('not an ACM certificate ARN', 'write arn:aws:acm:<region>:<account>:certificate/<id>'),
      )
      .optional()
      .describe('An existing ACM certificate for the dashboard load balancer.'),
    domain: z
      .string()
      .optional()
      .describe("The dashboard's domain; each environment's dashboard is <environment>.<domain>."),
    hostedZone: z
      .strictObject({
        id: z.string().min(1).describe('The hosted zone id, e.g. Z0123456789ABCDEFGHIJ.'),
        name: z.string().min(1).describe('The zone name, e.g. acme.example.'),
      })
      .optional()
      .describe(
        'A Route 53 public hosted zone for the domain: certificates are validated and records created in it.',
      ),
    alertEmail: z
      .string()
      .regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, withHint('not an email address', 'write e.g. alerts@acme.example'))
      .optional()
      .describe('Sender address of alert mail (an SES identity is created for it).'),
    instanceType: instanceTypeSchema('t3.medium')
      .optional()
      .describe('EC2 instance type of the monitoring host (default t3.medium).'),
  })
  .describe('The monitoring services: their subnet and their HTTPS dashboard.');

export type MonitoringSpec = z.infer<typeof monitoringSchema>;

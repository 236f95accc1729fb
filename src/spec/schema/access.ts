/**
 * `access:` how operators reach the deployment. The bastion is read by `steward synth` (where it
 * is and which port it opens) and `steward gateway` (which port it listens on).
 */
import { z } from 'zod';
import { instanceTypeSchema } from './instance-type.ts';
import { withHint } from './message.ts';
import { portSchema } from './network.ts';

export const bastionSchema = z
  .strictObject({
    placement: z
      .enum(['vpc', 'datacenter'], {
        error: withHint(
          'expected `vpc` or `datacenter`',
          'write placement: vpc (an instance in the public subnet) or datacenter (the customer runs it)',
        ),
      })
      .describe(
        '`vpc`: an instance in the public subnet runs `steward gateway`; `datacenter`: the customer runs the bastion.',
      ),
    port: portSchema.describe(
      "The bastion's non-standard SSH port, open to operatorNetworks only, e.g. 2222.",
    ),
    address: z
      .string()
      .min(1, withHint('the address is empty', 'write an IP address or CIDR, e.g. 198.51.100.7'))
      .optional()
      .describe(
        "The bastion's address; for `datacenter` (required there) the address (IP or CIDR) its SSH connections come from as the VPC sees them.",
      ),
    instanceType: instanceTypeSchema('t3.small')
      .optional()
      .describe('EC2 instance type of a `vpc` bastion (default t3.small).'),
  })
  .describe('The SSH bastion every operator session goes through.');

export const accessSchema = z
  .strictObject({
    bastion: bastionSchema.optional(),
  })
  .describe('How operators reach the hosts: the bastion.');

export type BastionSpec = z.infer<typeof bastionSchema>;
export type AccessSpec = z.infer<typeof accessSchema>;

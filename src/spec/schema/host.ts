import { z } from 'zod';
import { checkSchema, hostCheckSchema } from './check.ts';
import { hostSshSchema } from './host-ssh.ts';
import { instanceTypeSchema } from './instance-type.ts';
import { labelsSchema, nameSchema } from './names.ts';
import { addressSchema, portSchema } from './network.ts';
import { snmpAgentSchema } from './snmp-agent.ts';

export const hostShape = {
  name: nameSchema('host', 'apim-1').describe('The host name, unique in the deployment.'),
  address: addressSchema.describe('IPv4 or IPv6 address, or DNS name; {{address}} in checks.'),
  roles: z
    .array(nameSchema('role', 'linux'))
    .optional()
    .describe("Roles whose checks the host gets, in order; the host's own checks override same-named ones."),
  parents: z
    .array(nameSchema('host', 'core-sw'))
    .optional()
    .describe(
      'Hosts on the network path to this one (any environment): when they are all down, this one is UNREACHABLE.',
    ),
  labels: labelsSchema.optional(),
  hostCheck: hostCheckSchema.optional(),
  snmp: snmpAgentSchema.optional(),
  checks: z.array(checkSchema).optional().describe('Checks of this host, after those of its roles.'),
  ssh: hostSshSchema.optional(),
  productPorts: z
    .array(portSchema)
    .optional()
    .describe(
      "Ports the product serves (added to its roles' productPorts); reachable only from the product load balancer.",
    ),
  instanceType: instanceTypeSchema('m7i.large')
    .optional()
    .describe('EC2 instance type for `steward synth` (default m7i.large).'),
};

export const hostSchema = z.strictObject(hostShape).describe('A monitored host.');

/** A host listed in an included file's `hosts:`, which says which environment it belongs to. */
export const fragmentHostSchema = z
  .strictObject({
    ...hostShape,
    environment: nameSchema('environment', 'prod').describe(
      'The environment (declared in any file) the host belongs to.',
    ),
  })
  .describe('A monitored host, with the environment it belongs to.');

export type HostSpec = z.infer<typeof hostSchema>;

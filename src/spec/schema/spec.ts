/**
 * The document schemas: the main spec file, and the fragments it includes. Later sections
 * (alerting, access, backup) are added here as keys of specSchema, each with its own file.
 */
import { z } from 'zod';
import { accessSchema } from './access.ts';
import { alertingSchema } from './alerting.ts';
import { awsSchema } from './aws.ts';
import { backupSchema } from './backup.ts';
import { environmentSchema } from './environment.ts';
import { fragmentHostSchema } from './host.ts';
import { withHint } from './message.ts';
import { monitoringSchema } from './monitoring.ts';
import { nameSchema } from './names.ts';
import { cidrSchema } from './network.ts';
import { rolesSchema } from './role.ts';
import { defaultsSchema } from './timing.ts';

const includeSchema = z
  .array(z.string().min(1, withHint('the include path is empty', 'write a path such as hosts/prod.yaml')))
  .describe('Files to include (roles, environments, hosts); paths are relative to the including file.');

const environmentsSchema = z.array(environmentSchema).describe('The environments and their hosts.');

export const specSchema = z
  .strictObject({
    deployment: nameSchema('deployment', 'acme').describe('The deployment (customer) name.'),
    operatorNetworks: z
      .array(cidrSchema)
      .describe("The operators' networks as CIDRs, e.g. [203.0.113.0/24, 2001:db8::/32]."),
    pluginDirs: z
      .array(
        z
          .string()
          .min(1, withHint('the directory is empty', 'write a directory such as /usr/lib/nagios/plugins')),
      )
      .optional()
      .describe(
        'Directories searched for plugin commands (default: /usr/lib/nagios/plugins, /usr/lib/monitoring-plugins, <spec dir>/plugins).',
      ),
    include: includeSchema.optional(),
    defaults: defaultsSchema.optional(),
    environments: environmentsSchema.optional(),
    roles: rolesSchema.optional(),
    alerting: alertingSchema.optional(),
    access: accessSchema.optional(),
    monitoring: monitoringSchema.optional(),
    aws: awsSchema.optional(),
    backup: backupSchema.optional(),
  })
  .describe('A Steward deployment spec.');

export const fragmentSchema = z
  .strictObject({
    include: includeSchema.optional(),
    roles: rolesSchema.optional(),
    environments: environmentsSchema.optional(),
    hosts: z
      .array(fragmentHostSchema)
      .optional()
      .describe('Hosts, each with `environment:` naming the environment it belongs to.'),
  })
  .describe('A file included by a Steward spec: roles, environments and hosts.');

export type Spec = z.infer<typeof specSchema>;
export type SpecFragment = z.infer<typeof fragmentSchema>;

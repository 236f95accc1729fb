import { z } from 'zod';
import { checkSchema } from './check.ts';
import { nameSchema } from './names.ts';
import { portSchema } from './network.ts';

export const roleSchema = z
  .strictObject({
    description: z.string().optional().describe('What hosts with this role are.'),
    roles: z
      .array(nameSchema('role', 'linux'))
      .optional()
      .describe(
        "Roles this one builds on (e.g. [linux]): hosts with this role get their checks too, first. A role applies once however often it is reached; this role's checks replace same-named ones of the roles it builds on.",
      ),
    checks: z.array(checkSchema).describe('Checks every host with this role gets.'),
    productPorts: z
      .array(portSchema)
      .optional()
      .describe('Ports the product serves on every host with this role.'),
  })
  .describe('A role: a set of checks shared by the hosts that list it in `roles`.');

export const rolesSchema = z
  .record(nameSchema('role', 'linux'), roleSchema)
  .describe('Roles by name, e.g. linux: { checks: [...] }.');

export type RoleSpec = z.infer<typeof roleSchema>;

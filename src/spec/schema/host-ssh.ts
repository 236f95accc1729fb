import { z } from 'zod';
import { portSchema } from './network.ts';

/** A host's SSH as the bastion forwards to it and `steward render host` locks it down. */
export const hostSshSchema = z
  .strictObject({
    port: portSchema.optional().describe("The host's SSH port (default 22)."),
    extraPorts: z
      .array(portSchema)
      .optional()
      .describe('Further ports operators may forward to through the bastion (e.g. a database console).'),
  })
  .describe('SSH on this host: its port and what else operators may reach through the bastion.');

export type HostSshSpec = z.infer<typeof hostSshSchema>;

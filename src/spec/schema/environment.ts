import { z } from 'zod';
import { environmentAwsShape } from './environment-aws.ts';
import { hostSchema } from './host.ts';
import { nameSchema } from './names.ts';
import { snmpAgentSchema } from './snmp-agent.ts';
import { defaultsSchema } from './timing.ts';

export const environmentSchema = z
  .strictObject({
    name: nameSchema('environment', 'prod').describe('The environment name, e.g. dev, test, preprod, prod.'),
    defaults: defaultsSchema.optional(),
    hosts: z.array(hostSchema).optional().describe('Hosts of the environment.'),
    snmp: snmpAgentSchema.optional(),
    ...environmentAwsShape,
  })
  .describe(
    'An environment (dev, test, preprod, prod...); the same name in an included file adds hosts to it.',
  );

export type EnvironmentSpec = z.infer<typeof environmentSchema>;

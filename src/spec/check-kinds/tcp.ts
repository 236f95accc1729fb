import { z } from 'zod';
import { portSchema } from '../schema/network.ts';
import { checked } from '../schema/refine.ts';
import { renderTemplate, templateProblem } from '../templating.ts';
import { defineCheckKind } from './check-kind.ts';

const schema = z
  .strictObject({
    port: portSchema.describe('TCP port to connect to (1-65535).'),
    host: checked(z.string(), templateProblem)
      .optional()
      .describe("Address to connect to; default: the host's address. Templates such as {{address}} work."),
  })
  .describe('Connect to a TCP port: OK when the connection opens within the timeout.');

export const tcpCheck = defineCheckKind({
  key: 'tcp',
  schema,
  toProbe(value, context) {
    return {
      kind: 'tcp',
      host:
        value.host === undefined ? context.template.address : renderTemplate(value.host, context.template),
      port: value.port,
    };
  },
});

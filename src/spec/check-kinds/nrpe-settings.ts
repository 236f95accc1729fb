/**
 * The nrpe settings shared by the nrpe check kind and the jvm kind's agentless path: which
 * command[NAME] to ask for, and how that command is defined in the host's nrpe.cfg when
 * `steward render host` writes it.
 */
import { z } from 'zod';
import type { NrpeProbe } from '../../core/model.ts';
import { withHint } from '../schema/message.ts';
import { portSchema } from '../schema/network.ts';
import { checked } from '../schema/refine.ts';
import { renderTemplate, type TemplateValues, templateProblem } from '../templating.ts';

export const DEFAULT_NRPE_PORT = 5666;

const COMMAND_NAME = /^[A-Za-z0-9_.-]+$/;

const tlsSchema = z
  .union([
    z.enum(['anonymous-dh', 'none']),
    z.strictObject({
      ca: z
        .string()
        .min(1)
        .optional()
        .describe("PEM file (or PEM text) that verifies the daemon's certificate."),
      cert: z
        .string()
        .min(1)
        .optional()
        .describe('Client certificate (PEM file or text), for ssl_client_certs.'),
      key: z
        .string()
        .min(1)
        .optional()
        .describe('Client key (PEM file or text); write ${NRPE_KEY} for text.'),
    }),
  ])
  .describe("TLS: 'anonymous-dh' (nrpe's default), 'none' (ssl disabled), or { ca, cert, key }.");

const arg = checked(
  z.union([z.string(), z.number()], {
    error: withHint('expected a command argument (a string)', 'quote the argument, e.g. "-w"'),
  }),
  (value) => (typeof value === 'string' ? templateProblem(value) : null),
);

export const nrpeShape = {
  command: z
    .string({ error: (issue) => (issue.input === undefined ? undefined : 'expected an nrpe command name') })
    .regex(
      COMMAND_NAME,
      withHint('an nrpe command name has letters, digits, _ . - only', 'write e.g. check_root_disk'),
    )
    .describe("The command[NAME] in the host's nrpe.cfg."),
  plugin: z
    .string()
    .min(1)
    .optional()
    .describe(
      'The plugin the command runs, for `steward render host` (default: the command name). A name is looked up in /usr/lib/nagios/plugins on the host; a path is used as is.',
    ),
  args: z
    .array(arg)
    .optional()
    .describe(
      "The plugin's arguments. Fixed in the rendered nrpe.cfg (nothing goes over the wire) unless sendArgs is true.",
    ),
  sendArgs: z
    .boolean()
    .optional()
    .describe(
      'Send args over the wire as $ARG1$.. (needs dont_blame_nrpe=1 and an nrpe built with command args). Default false.',
    ),
  port: portSchema.optional().describe(`nrpe port (default ${DEFAULT_NRPE_PORT}).`),
  tls: tlsSchema.optional(),
  host: checked(z.string(), templateProblem)
    .optional()
    .describe("Address of the nrpe daemon; default: the host's address."),
};

export const nrpeSettingsSchema = z.strictObject(nrpeShape);
export type NrpeSettings = z.infer<typeof nrpeSettingsSchema>;

/**
 * The probe, with `define` telling `steward render host` how to write command[NAME]. Arguments
 * travel over the wire only with sendArgs; otherwise they live in nrpe.cfg.
 */
export function nrpeProbeOf(
  value: NrpeSettings,
  template: TemplateValues,
  defaultPlugin?: string,
): NrpeProbe {
  const args = (value.args ?? []).map((a) => renderTemplate(String(a), template));
  const probe: NrpeProbe = {
    kind: 'nrpe',
    host: value.host === undefined ? template.address : renderTemplate(value.host, template),
    port: value.port ?? DEFAULT_NRPE_PORT,
    command: value.command,
    args: value.sendArgs === true ? args : [],
    tls: value.tls ?? 'anonymous-dh',
  };
  probe.define = {
    plugin: value.plugin ?? defaultPlugin ?? value.command,
    args: value.sendArgs === true ? args.map((_, i) => `$ARG${i + 1}$`) : args,
    sendArgs: value.sendArgs === true,
  };
  return probe;
}

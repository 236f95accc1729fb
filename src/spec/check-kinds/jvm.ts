import { z } from 'zod';
import { withHint } from '../schema/message.ts';
import { checked } from '../schema/refine.ts';
import { renderUrlTemplate, SAMPLE_TEMPLATE_VALUES, templateProblem } from '../templating.ts';
import { defineCheckKind } from './check-kind.ts';
import { nrpeProbeOf, nrpeShape } from './nrpe-settings.ts';

/** The plugin Steward ships (plugins/check_jvm_jstat) for hosts without Jolokia. */
export const JSTAT_PLUGIN = 'check_jvm_jstat';

const METRICS = ['heap', 'gcTime', 'threads'] as const;
const metricSchema = z
  .enum(METRICS, { error: withHint(`expected one of ${METRICS.join(', ')}`, 'write e.g. `jvm: heap`') })
  .describe(
    'heap: heap used % of max; gcTime: % of time spent in GC since the last check; threads: live threads.',
  );

const jolokiaUrl = checked(z.string(), (text) => {
  const template = templateProblem(text);
  if (template !== null) return template;
  return URL.canParse(renderUrlTemplate(text, SAMPLE_TEMPLATE_VALUES))
    ? null
    : { message: 'not a URL', hint: 'write the agent base URL, e.g. http://{{address}}:8778/jolokia' };
});

const schema = z
  .union([
    metricSchema,
    z.strictObject({
      metric: metricSchema,
      jolokia: jolokiaUrl
        .optional()
        .describe('Jolokia agent base URL, e.g. http://{{address}}:8778/jolokia.'),
      insecure: z.boolean().optional().describe('Accept a self-signed certificate on an https Jolokia URL.'),
      nrpe: z
        .strictObject({ ...nrpeShape, command: nrpeShape.command.optional() })
        .optional()
        .describe(
          `Run ${JSTAT_PLUGIN} over NRPE (default command check_jvm_${'{metric}'}); args select the JVM, e.g. [-m, carbon].`,
        ),
      process: z
        .string()
        .min(1)
        .optional()
        .describe(
          `Run ${JSTAT_PLUGIN} on the monitoring host against the JVM whose command line matches this (pgrep -f).`,
        ),
    }),
  ])
  .describe(
    `JVM heap, GC time or threads: via Jolokia when \`jolokia\` is set, else agentless with ${JSTAT_PLUGIN} (jstat) over NRPE or locally.`,
  );

export const jvmCheck = defineCheckKind({
  key: 'jvm',
  schema,
  toProbe(value, context) {
    const settings = typeof value === 'string' ? { metric: value } : value;
    const metric = settings.metric;
    if (settings.jolokia !== undefined) {
      return {
        kind: 'jvm',
        metric,
        source: {
          kind: 'jolokia',
          url: renderUrlTemplate(settings.jolokia, context.template),
          insecure: settings.insecure ?? false,
        },
      };
    }
    if (settings.process !== undefined) {
      return {
        kind: 'jvm',
        metric,
        source: { kind: 'local', command: JSTAT_PLUGIN, args: ['-m', settings.process] },
      };
    }
    const nrpe = settings.nrpe ?? {};
    const command = nrpe.command ?? `check_jvm_${metric.toLowerCase()}`;
    return {
      kind: 'jvm',
      metric,
      source: { kind: 'nrpe', nrpe: nrpeProbeOf({ ...nrpe, command }, context.template, JSTAT_PLUGIN) },
    };
  },
});

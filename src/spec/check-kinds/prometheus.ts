import { z } from 'zod';
import { withHint } from '../schema/message.ts';
import { checked } from '../schema/refine.ts';
import { renderTemplate, renderUrlTemplate, SAMPLE_TEMPLATE_VALUES, templateProblem } from '../templating.ts';
import { defineCheckKind } from './check-kind.ts';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

function urlRejection(text: string) {
  const template = templateProblem(text);
  if (template !== null) return template;
  const rendered = renderUrlTemplate(text, SAMPLE_TEMPLATE_VALUES);
  if (!URL.canParse(rendered) || !/^https?:$/.test(new URL(rendered).protocol)) {
    return { message: 'not an http(s) URL', hint: 'write e.g. http://{{address}}:9100/metrics' };
  }
  return null;
}

const schema = z
  .strictObject({
    url: checked(z.string(), urlRejection).describe(
      'The metrics endpoint, e.g. http://{{address}}:9100/metrics.',
    ),
    metric: z
      .string()
      .regex(METRIC_NAME, withHint('not a Prometheus metric name', 'write e.g. node_load1'))
      .optional()
      .describe(
        'The metric name to select and threshold (as exposed, e.g. node_filesystem_avail_bytes). Required unless hostMetrics is true.',
      ),
    match: z
      .record(z.string(), z.string())
      .optional()
      .describe('Label values the series must have, e.g. { mountpoint: / }; {{host}} etc. are replaced.'),
    aggregate: z
      .enum(['sum', 'min', 'max', 'avg', 'count'])
      .optional()
      .describe('How several matching series become one value; without it, more than one match is UNKNOWN.'),
    insecure: z.boolean().optional().describe('Accept self-signed certificates (https). Default false.'),
    hostMetrics: z
      .boolean()
      .optional()
      .describe(
        "The endpoint is a node exporter: also store the host's CPU, load, memory, swap, disk and network series (15 + 3 per mount + 2 per network device, at most 32 of each) for its standard graphs. Default false.",
      ),
  })
  .superRefine((value, ctx) => {
    if (value.metric !== undefined) return;
    if (!value.hostMetrics) {
      ctx.addIssue({
        code: 'custom',
        path: ['metric'],
        message: withHint(
          'a prometheus check needs a metric to threshold',
          "add e.g. metric: node_load1, or hostMetrics: true to only store a node exporter's host metrics for graphs",
        ),
      });
      return;
    }
    for (const key of ['match', 'aggregate'] as const) {
      if (value[key] === undefined) continue;
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: withHint(
          `${key} selects the metric, but there is no metric`,
          `add metric: or remove ${key}`,
        ),
      });
    }
  })
  .describe(
    "Scrape a Prometheus/OpenMetrics endpoint, threshold the selected series; the selected series are stored (at most 200 per check). With hostMetrics: true, a node exporter's CPU, load, memory, disk and network series are stored too, for the host's graphs.",
  );

export const prometheusCheck = defineCheckKind({
  key: 'prometheus',
  schema,
  toProbe(value, context) {
    const match: Record<string, string> = {};
    for (const [label, text] of Object.entries(value.match ?? {}))
      match[label] = renderTemplate(text, context.template);
    return {
      kind: 'prometheus' as const,
      url: renderUrlTemplate(value.url, context.template),
      ...(value.metric === undefined ? {} : { metric: value.metric }),
      match,
      ...(value.aggregate === undefined ? {} : { aggregate: value.aggregate }),
      insecure: value.insecure ?? false,
      ...(value.hostMetrics ? { hostMetrics: true } : {}),
    };
  },
});

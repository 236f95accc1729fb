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
      .describe('The metric name to select (as exposed, e.g. node_filesystem_avail_bytes).'),
    match: z
      .record(z.string(), z.string())
      .optional()
      .describe('Label values the series must have, e.g. { mountpoint: / }; {{host}} etc. are replaced.'),
    aggregate: z
      .enum(['sum', 'min', 'max', 'avg', 'count'])
      .optional()
      .describe('How several matching series become one value; without it, more than one match is UNKNOWN.'),
    insecure: z.boolean().optional().describe('Accept self-signed certificates (https). Default false.'),
  })
  .describe(
    'Scrape a Prometheus/OpenMetrics endpoint, threshold the selected series; the selected series are stored (at most 200 per check).',
  );

export const prometheusCheck = defineCheckKind({
  key: 'prometheus',
  schema,
  toProbe(value, context) {
    const match: Record<string, string> = {};
    for (const [label, text] of Object.entries(value.match ?? {}))
      match[label] = renderTemplate(text, context.template);
    const probe = {
      kind: 'prometheus' as const,
      url: renderUrlTemplate(value.url, context.template),
      metric: value.metric,
      match,
      insecure: value.insecure ?? false,
    };
    return value.aggregate === undefined ? probe : { ...probe, aggregate: value.aggregate };
  },
});

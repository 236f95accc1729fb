import { z } from 'zod';
import { withHint } from './message.ts';

/** Names of deployments, environments, hosts, roles and checks: they end up in ids and URLs. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function nameSchema(what: string, example: string) {
  return z
    .string({
      error: (issue) => (issue.input === undefined ? undefined : `expected a ${what} name (a string)`),
    })
    .regex(
      NAME_PATTERN,
      withHint(
        `a ${what} name is letters, digits, '.', '_' and '-', starting with a letter or digit`,
        `rename it, e.g. \`${example}\``,
      ),
    )
    .max(128, withHint(`a ${what} name is at most 128 characters`, 'use a shorter name'));
}

/** Label keys follow Prometheus' rules, since labels are exported with metrics. */
export const LABEL_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const labelsSchema = z
  .record(
    z
      .string()
      .regex(
        LABEL_KEY_PATTERN,
        withHint(
          "a label key is letters, digits and '_', not starting with a digit",
          'rename the key, e.g. `team` or `cost_center`',
        ),
      ),
    z.union([z.string(), z.number(), z.boolean()], {
      error: withHint('expected a label value (a string)', 'write a plain string, e.g. `team: api`'),
    }),
  )
  .describe('Labels (key: value) for routing alerts and filtering dashboards, e.g. { team: api }.');

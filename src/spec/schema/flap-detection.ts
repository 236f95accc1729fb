import { z } from 'zod';
import { withHint } from './message.ts';

/** Nagios' compiled-in flap thresholds (percent state change over the last 21 results). */
export const DEFAULT_FLAP = { enabled: true, low: 20, high: 30 } as const;

const percent = (what: string) =>
  z
    .number({
      error: (issue) => (issue.input === undefined ? undefined : `expected the ${what} threshold in percent`),
    })
    .min(0, withHint('a percentage is at least 0', 'write a number from 0 to 100'))
    .max(100, withHint('a percentage is at most 100', 'write a number from 0 to 100'));

export const flapDetectionSchema = z
  .strictObject({
    enabled: z.boolean().optional().describe('Detect flapping (default true).'),
    low: percent('low')
      .optional()
      .describe(`Percent state change below which flapping stops (default ${DEFAULT_FLAP.low}).`),
    high: percent('high')
      .optional()
      .describe(`Percent state change above which flapping starts (default ${DEFAULT_FLAP.high}).`),
  })
  .superRefine(
    (flap, ctx) => {
      const low = flap.low ?? DEFAULT_FLAP.low;
      const high = flap.high ?? DEFAULT_FLAP.high;
      if (typeof low === 'number' && typeof high === 'number' && low >= high) {
        ctx.addIssue({
          code: 'custom',
          path: [flap.low === undefined ? 'high' : 'low'],
          message: withHint(
            `the low threshold (${low}) must be below the high threshold (${high})`,
            'flapping starts above `high` and stops below `low`: e.g. low: 20, high: 30',
          ),
        });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  )
  .describe('Flap detection: a check changing state too often is marked flapping and its alerts are held.');

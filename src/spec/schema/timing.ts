import { z } from 'zod';
import { durationSchema } from './duration.ts';
import { withHint } from './message.ts';

/** Built-in timing, used when neither the check, its environment nor the spec's defaults say otherwise. */
export const BUILT_IN_TIMING = {
  interval: '1m',
  retryInterval: '15s',
  maxAttempts: 3,
  timeout: '10s',
} as const;

export const maxAttemptsSchema = z
  .number({ error: (issue) => (issue.input === undefined ? undefined : 'expected a number of attempts') })
  .int(withHint('maxAttempts is a whole number', 'write e.g. 3'))
  .min(
    1,
    withHint(
      'maxAttempts must be at least 1',
      'write 1 to act on the first failure, or e.g. 3 to confirm it first',
    ),
  );

/** The keys that set when and how often a check runs; shared by checks and `defaults`. */
export const timingShape = {
  interval: durationSchema()
    .optional()
    .describe('How often the check runs while its state is OK or HARD, e.g. 1m.'),
  retryInterval: durationSchema()
    .optional()
    .describe('How often the check runs while a problem is being confirmed (SOFT state), e.g. 15s.'),
  maxAttempts: maxAttemptsSchema
    .optional()
    .describe('How many consecutive failures make a problem HARD (alerted); 1 = at once.'),
  timeout: durationSchema()
    .optional()
    .describe('How long a check may run before it counts as failed, e.g. 10s.'),
};

export const defaultsSchema = z
  .strictObject(timingShape)
  .describe(
    `Timing for checks that do not set their own (built-in: interval ${BUILT_IN_TIMING.interval}, retryInterval ${BUILT_IN_TIMING.retryInterval}, maxAttempts ${BUILT_IN_TIMING.maxAttempts}, timeout ${BUILT_IN_TIMING.timeout}).`,
  );

export type TimingSpec = z.infer<typeof defaultsSchema>;

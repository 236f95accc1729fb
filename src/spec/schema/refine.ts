import type { z } from 'zod';
import { type Rejection, withHint } from './message.ts';

/**
 * Adds a check written as a plain function (value → rejection or null). Zod's own formats cannot
 * say what to do; these can.
 */
export function checked<T extends z.ZodType>(schema: T, check: (value: z.output<T>) => Rejection | null): T {
  return schema.superRefine((value, ctx) => {
    const rejection = check(value);
    if (rejection !== null)
      ctx.addIssue({ code: 'custom', message: withHint(rejection.message, rejection.hint) });
  });
}

import { z } from 'zod';
import { parseDuration } from '../../core/duration.ts';
import { type Rejection, withHint } from './message.ts';
import { checked } from './refine.ts';

const FORMAT = 'a number and a unit (ms, s, m, h, d), e.g. 500ms, 30s, 5m, 2h, 1d or 1h30m';

export function durationRejection(text: string, options: { positive: boolean }): Rejection | null {
  const ms = parseDuration(text);
  if (ms === null) {
    if (/^\s*-/.test(text)) return { message: 'a duration cannot be negative', hint: `write ${FORMAT}` };
    if (/^\s*\d+(\.\d+)?\s*$/.test(text)) {
      return { message: 'a duration needs a unit', hint: `write ${FORMAT}; for seconds: ${text.trim()}s` };
    }
    if (/\s/.test(text.trim())) {
      return { message: 'expected a duration without spaces or words', hint: `write ${FORMAT}` };
    }
    return { message: 'expected a duration', hint: `write ${FORMAT}` };
  }
  if (options.positive && ms <= 0) return { message: 'must be longer than 0', hint: `write ${FORMAT}` };
  return null;
}

/** A duration as operators write it ("30s", "5m"); kept as text in the spec, parsed when resolved. */
export function durationSchema(options: { positive: boolean } = { positive: true }) {
  return checked(
    z.string({
      error: (issue) =>
        issue.input === undefined
          ? undefined
          : typeof issue.input === 'number'
            ? withHint('a duration needs a unit', `write ${FORMAT}; for seconds: ${issue.input}s`)
            : withHint('expected a duration', `write ${FORMAT}`),
    }),
    (text) => durationRejection(text, options),
  ).meta({ examples: ['30s', '5m', '1h30m'] });
}

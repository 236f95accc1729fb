/**
 * Nagios threshold ranges (the plugin development guidelines' syntax): "10" means outside 0..10
 * alerts, "10:" below 10, "~:10" above 10, "10:20" outside 10..20, "@10:20" inside 10..20.
 */
import { z } from 'zod';
import { type Rejection, withHint } from './message.ts';
import { checked } from './refine.ts';

export interface ThresholdRange {
  /** -Infinity for "~". */
  start: number;
  end: number;
  /** "@": alert when the value is inside the range rather than outside. */
  inside: boolean;
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

const HINT = 'write a Nagios range: 10, 10:, ~:10, 10:20 or @10:20 (alert outside the range; @ = inside)';

export function parseThresholdRange(text: string): ThresholdRange | Rejection {
  let rest = text.trim();
  const inside = rest.startsWith('@');
  if (inside) rest = rest.slice(1);
  const colon = rest.indexOf(':');
  const startText = colon < 0 ? '' : rest.slice(0, colon);
  const endText = colon < 0 ? rest : rest.slice(colon + 1);
  if (colon < 0 && endText === '') return { message: 'expected a threshold range', hint: HINT };
  let start = 0;
  if (startText === '~') start = Number.NEGATIVE_INFINITY;
  else if (startText !== '') {
    if (!NUMBER.test(startText))
      return { message: 'the start of the range is not a number or ~', hint: HINT };
    start = Number(startText);
  }
  let end = Number.POSITIVE_INFINITY;
  if (endText !== '') {
    if (!NUMBER.test(endText)) return { message: 'expected a threshold range', hint: HINT };
    end = Number(endText);
  }
  if (start > end) {
    return {
      message: 'the start of the range is greater than its end',
      hint: 'write start:end with start <= end; for "alert above N" write ~:N, for "below N" write N:',
    };
  }
  return { start, end, inside };
}

export function isThresholdRange(value: ThresholdRange | Rejection): value is ThresholdRange {
  return 'start' in value;
}

export const thresholdSchema = checked(
  z.union([z.string(), z.number()], { error: withHint('expected a threshold range', HINT) }),
  (value) => {
    const range = parseThresholdRange(String(value));
    return isThresholdRange(range) ? null : range;
  },
).meta({ examples: ['90', '10:', '~:10', '10:20', '@10:20'] });

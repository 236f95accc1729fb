import { z } from 'zod';
import { CHECK_KIND_KEYS, checkKind, checkKindShape } from '../check-kinds/index.ts';
import { durationSchema } from './duration.ts';
import { flapDetectionSchema } from './flap-detection.ts';
import { withHint } from './message.ts';
import { labelsSchema, nameSchema } from './names.ts';
import { serviceStateSchema } from './states.ts';
import { thresholdSchema } from './threshold.ts';
import { timingShape } from './timing.ts';

/** Marks the "no kind key" issue, which the issue converter drops when an unknown key is a misspelt kind. */
export const MISSING_KIND = 'missing-kind';

const KIND_LIST = CHECK_KIND_KEYS.join(', ');

const commonShape = {
  ...timingShape,
  warning: thresholdSchema
    .optional()
    .describe(
      'WARNING threshold for the primary value of native checks, as a Nagios range (e.g. 10, 10:, ~:10, @10:20).',
    ),
  critical: thresholdSchema.optional().describe('CRITICAL threshold, as a Nagios range.'),
  labels: labelsSchema.optional(),
  freshness: durationSchema()
    .optional()
    .describe('A result older than this is stale: the check goes to staleState. Useful for passive checks.'),
  staleState: serviceStateSchema.optional().describe('State of a stale check (default UNKNOWN).'),
  timeoutState: serviceStateSchema
    .optional()
    .describe('State of a check that ran out of time (default CRITICAL).'),
  flapDetection: flapDetectionSchema.optional(),
};

/** Exactly one kind key: the check must say what it does, and do one thing. */
function requireOneKind(check: Record<string, unknown>, ctx: z.RefinementCtx): void {
  const present = CHECK_KIND_KEYS.filter((key) => check[key] !== undefined);
  if (present.length === 0) {
    ctx.addIssue({
      code: 'custom',
      params: { code: MISSING_KIND },
      message: withHint(
        `the check has no kind: expected exactly one of ${KIND_LIST}`,
        'add e.g. `tcp: { port: 22 }`, `http: { url: "https://{{address}}/" }`, `plugin: { command: check_disk }` or `passive: {}`',
      ),
    });
  }
  const kind = present[0];
  const kindTimeout = kind === undefined ? undefined : checkKind(kind).timeout?.(check[kind]);
  if (kind !== undefined && check.timeout !== undefined && kindTimeout !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: [kind, 'timeout'],
      params: { target: 'key' },
      message: withHint(`the timeout is set twice: here and as the check's \`timeout\``, 'keep one of them'),
    });
  }
  for (const extra of present.slice(1)) {
    ctx.addIssue({
      code: 'custom',
      path: [extra],
      params: { target: 'key' },
      message: withHint(
        `a check has exactly one kind, but this one has ${present.join(' and ')}`,
        'split it into separate checks with their own names',
      ),
    });
  }
}

const hasObjectValue = (payload: { value: unknown }) =>
  typeof payload.value === 'object' && payload.value !== null;

export const checkSchema = z
  .strictObject({
    name: nameSchema('check', 'root-disk').describe(
      'The check name, unique on its host; the service id is host/name.',
    ),
    ...checkKindShape(),
    ...commonShape,
  })
  .superRefine(requireOneKind, { when: hasObjectValue })
  .describe(`A check: a name, exactly one kind (${KIND_LIST}) and optional timing, thresholds and labels.`);

export const hostCheckSchema = z
  .strictObject({ ...checkKindShape(), ...commonShape })
  .superRefine(requireOneKind, { when: hasObjectValue })
  .describe(
    `How to tell whether the host is UP: one kind (${KIND_LIST}) and optional timing. Absent: always UP.`,
  );

export type CheckSpec = z.infer<typeof checkSchema>;
export type HostCheckSpec = z.infer<typeof hostCheckSchema>;

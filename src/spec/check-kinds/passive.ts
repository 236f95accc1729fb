import { z } from 'zod';
import { withHint } from '../schema/message.ts';
import { defineCheckKind } from './check-kind.ts';

// `passive:` with nothing after it is YAML null; it means the same as `passive: {}`.
const schema = z
  .union([z.strictObject({}), z.null()], {
    error: withHint(
      'passive takes no settings',
      'write `passive: {}`; set `freshness` on the check to notice silence',
    ),
  })
  .describe(
    'Results only arrive through the API (POST /api/v1/results); set `freshness` to notice when they stop.',
  );

export const passiveCheck = defineCheckKind({
  key: 'passive',
  schema,
  toProbe() {
    return { kind: 'passive' };
  },
});

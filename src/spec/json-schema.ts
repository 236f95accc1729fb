import { z } from 'zod';
import { fragmentSchema, specSchema } from './schema/spec.ts';

/**
 * JSON Schema of what users write (the input side of the zod schema), for editors: completion,
 * descriptions on hover, unknown keys flagged. Cross-references (roles, parents) are not in it.
 */
export function specJsonSchema(): object {
  return z.toJSONSchema(specSchema, { io: 'input', target: 'draft-2020-12' });
}

/** The same for files included by a spec. */
export function specFragmentJsonSchema(): object {
  return z.toJSONSchema(fragmentSchema, { io: 'input', target: 'draft-2020-12' });
}

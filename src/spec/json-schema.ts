import { z } from 'zod';
import { fragmentSchema, specSchema } from './schema/spec.ts';

/**
 * JSON Schema of what users write (the input side of the zod schema), for editors: completion,
 * descriptions on hover, unknown keys flagged. Cross-references (roles, parents) are not in it.
 */
export function specJsonSchema(): object {
  return {
    ...z.toJSONSchema(specSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'Steward deployment spec',
  };
}

/** The same for files included by a spec (roles, environments, hosts). */
export function specFragmentJsonSchema(): object {
  return {
    ...z.toJSONSchema(fragmentSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'Steward spec include',
  };
}

/** The committed schema files (path relative to the repository → content), as scripts/gen-schema.ts writes them. */
export function schemaFiles(): Record<string, string> {
  const pretty = (schema: object) => `${JSON.stringify(schema, null, 2)}\n`;
  return {
    'schema/steward.schema.json': pretty(specJsonSchema()),
    'schema/steward-fragment.schema.json': pretty(specFragmentJsonSchema()),
  };
}

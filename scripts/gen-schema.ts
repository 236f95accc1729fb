/**
 * Writes the JSON Schemas of the spec (for editors: completion, help on hover, unknown keys) from
 * the zod schema, the single source of truth. Run `npm run schema` after changing src/spec/schema;
 * test/spec/json-schema.test.ts fails while the committed files are stale.
 */
import { writeFileSync } from 'node:fs';
import { schemaFiles } from '../src/spec/json-schema.ts';

for (const [file, text] of Object.entries(schemaFiles())) {
  const target = new URL(`../${file}`, import.meta.url);
  writeFileSync(target, text);
  process.stdout.write(`wrote ${file}\n`);
}

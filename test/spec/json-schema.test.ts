import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { specJsonSchema } from '../../src/spec/index.ts';
import { schemaFiles } from '../../src/spec/json-schema.ts';

test('the committed JSON Schemas are what the zod schema generates (run `npm run schema` if not)', () => {
  for (const [file, generated] of Object.entries(schemaFiles())) {
    const committed = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
    assert.equal(committed, generated, `${file} is stale: run npm run schema`);
  }
});

test('the JSON Schema rejects unknown keys and describes keys for editors', () => {
  const schema = specJsonSchema() as {
    additionalProperties: boolean;
    required: string[];
    properties: Record<string, { description?: string }>;
  };
  assert.equal(schema.additionalProperties, false);
  assert.deepEqual(schema.required.sort(), ['deployment', 'operatorNetworks']);
  for (const key of [
    'deployment',
    'operatorNetworks',
    'pluginDirs',
    'include',
    'defaults',
    'environments',
    'roles',
  ]) {
    assert.ok(schema.properties[key]?.description, `${key} has a description`);
  }
  const text = JSON.stringify(schema);
  for (const kind of ['plugin', 'tcp', 'http', 'passive'])
    assert.ok(text.includes(`"${kind}":`), `check kind ${kind}`);
});

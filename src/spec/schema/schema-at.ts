/**
 * Finds the schema that governs a path of the document, so that messages can list the keys
 * allowed where an unknown one was written, and quote a key's description as help.
 */
import type { z } from 'zod';
import type { DocumentPath } from '../errors.ts';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schema itself and every wrapper around it (optional, default, pipe...), outermost first. */
function layers(schema: z.ZodType): z.ZodType[] {
  const out = [schema];
  let current = schema;
  for (;;) {
    const def = defOf(current);
    const next = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
    if (next === undefined) return out;
    out.push(next);
    current = next;
  }
}

function core(schema: z.ZodType): z.ZodType {
  return layers(schema).at(-1)!;
}

function children(schema: z.ZodType, segment: string | number): z.ZodType[] {
  const def = defOf(core(schema));
  switch (def.type) {
    case 'object': {
      const child = def.shape?.[String(segment)];
      return child === undefined ? [] : [child];
    }
    case 'array':
      return def.element === undefined ? [] : [def.element];
    case 'record':
      return def.valueType === undefined ? [] : [def.valueType];
    case 'union':
      return (def.options ?? []).flatMap((option) => children(option, segment));
    default:
      return [];
  }
}

/** All schemas that could govern the path (more than one only through unions). */
export function schemasAt(root: z.ZodType, path: DocumentPath): z.ZodType[] {
  let current = [root];
  for (const segment of path) current = current.flatMap((schema) => children(schema, segment));
  return current;
}

/** The keys an object at this path may have (empty when it is not an object). */
export function knownKeysAt(root: z.ZodType, path: DocumentPath): string[] {
  const keys = new Set<string>();
  for (const schema of schemasAt(root, path)) {
    const candidates = [core(schema), ...(defOf(core(schema)).options ?? []).map(core)];
    for (const candidate of candidates) {
      const def = defOf(candidate);
      if (def.type === 'object') for (const key of Object.keys(def.shape ?? {})) keys.add(key);
    }
  }
  return [...keys];
}

/** The description given with .describe() to the schema at this path, if any. */
export function descriptionAt(root: z.ZodType, path: DocumentPath): string | undefined {
  for (const schema of schemasAt(root, path)) {
    for (const layer of layers(schema)) if (layer.description !== undefined) return layer.description;
  }
  return undefined;
}

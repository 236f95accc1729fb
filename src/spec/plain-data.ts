/**
 * Reading document data that may not have passed validation: reference checks run on every file,
 * valid or not, so that one run reports every error. These accessors never throw.
 */
export type PlainObject = Record<string, unknown>;

export function asObject(value: unknown): PlainObject | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as PlainObject)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function stringAt(object: PlainObject | undefined, key: string): string | undefined {
  const value = object?.[key];
  return typeof value === 'string' ? value : undefined;
}

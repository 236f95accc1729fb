/**
 * Turns zod issues into problems a person can act on: what was expected, what was written, what
 * to do — one problem per unknown key, union errors narrowed to the alternative that was meant.
 */
import type { z } from 'zod';
import { CHECK_KIND_KEYS } from './check-kinds/index.ts';
import { closestMatch } from './did-you-mean.ts';
import type { DocumentPath, Problem } from './errors.ts';
import { MISSING_KIND } from './schema/check.ts';
import { splitHint } from './schema/message.ts';
import { descriptionAt, knownKeysAt } from './schema/schema-at.ts';

type Issue = z.core.$ZodIssue;

export interface IssueContext {
  root: z.ZodType;
  /** The validated data, to say what was written instead. */
  data: unknown;
  /** The text the user wrote at a path (before ${ENV} substitution), for "got `...`". */
  sourceText(path: DocumentPath): string | undefined;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'nothing',
};

/** zod's own messages start like this; ours (from the schema files) never do. */
const ZOD_DEFAULT_MESSAGE = /^(Invalid|Too (small|big)|Unrecognized)/;

function valueAt(data: unknown, path: DocumentPath): unknown {
  let current = data;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[segment];
  }
  return current;
}

function describeValue(value: unknown): string {
  if (value === null) return 'nothing (an empty value)';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'boolean') return `${value}`;
  return `a ${typeof value}`;
}

function typeHint(expected: string, value: unknown): string | undefined {
  if (
    (expected === 'number' || expected === 'int') &&
    typeof value === 'string' &&
    /^\s*-?\d+(\.\d+)?\s*$/.test(value)
  ) {
    return 'write the number without quotes';
  }
  if (expected === 'array') return 'write a list: one `- item` per line, or [a, b]';
  if (expected === 'object' || expected === 'record') {
    return 'write a mapping: `key: value` lines indented under the key, or { key: value }';
  }
  return undefined;
}

function toPath(path: readonly PropertyKey[]): (string | number)[] {
  return path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
}

function lastKey(path: DocumentPath): string {
  return String(path.at(-1) ?? '');
}

function convertIssue(issue: Issue, prefix: DocumentPath, context: IssueContext): Problem[] {
  const path = [...prefix, ...toPath(issue.path)];
  const value = valueAt(context.data, path);
  const own = ZOD_DEFAULT_MESSAGE.test(issue.message) ? undefined : splitHint(issue.message);
  const described = (): string | undefined => {
    const description = descriptionAt(context.root, path);
    return description === undefined ? undefined : `${lastKey(path)}: ${description}`;
  };
  const withGot = (problem: Problem): Problem => {
    if (problem.message.includes(', got ')) return problem;
    if (value === undefined) return problem;
    if (value === null || typeof value === 'object') {
      // Only a message about the kind of value gains from naming the kind written ("expected X, got a list").
      if (!problem.message.startsWith('expected')) return problem;
      return { ...problem, message: `${problem.message}, got ${describeValue(value)}` };
    }
    const text = context.sourceText(path);
    return text === undefined ? problem : { ...problem, message: `${problem.message}, got \`${text}\`` };
  };

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(context.root, path);
      return issue.keys.map((key) => {
        const suggestion = closestMatch(key, known);
        return {
          path: [...path, key],
          target: 'key' as const,
          message: `unknown key \`${key}\``,
          hint:
            suggestion !== undefined
              ? `did you mean \`${suggestion}\`?`
              : known.length === 0
                ? 'remove it: nothing goes here'
                : `remove it; keys allowed here: ${known.join(', ')}`,
        };
      });
    }
    case 'invalid_union': {
      // An alternative whose type matched (its issues are deeper than the union itself) is the one meant.
      const meant = issue.errors.find((branch) =>
        branch.every((inner) => inner.path.length > 0 || inner.code !== 'invalid_type'),
      );
      if (meant !== undefined && meant.length > 0)
        return meant.flatMap((inner) => convertIssue(inner, path, context));
      const message = own ?? { message: 'expected a different kind of value' };
      return [withGot({ path, message: message.message, hint: message.hint ?? described() })];
    }
    case 'invalid_key': {
      const inner = issue.issues[0];
      const message = inner === undefined ? { message: 'invalid key' } : splitHint(inner.message);
      return [
        {
          path,
          target: 'key',
          message: `invalid key \`${lastKey(path)}\`: ${message.message}`,
          hint: message.hint,
        },
      ];
    }
    case 'invalid_type': {
      const parent = valueAt(context.data, path.slice(0, -1));
      if (value === undefined && path.length > 0 && parent !== null && typeof parent === 'object') {
        const description = descriptionAt(context.root, path);
        return [
          {
            path,
            message: `missing required key \`${lastKey(path)}\``,
            hint: `add \`${lastKey(path)}:\` here${description === undefined ? '' : ` (${description.replace(/\.$/, '')})`}`,
          },
        ];
      }
      if (path.length === 0 && issue.expected === 'object') {
        return [
          {
            path,
            message:
              value === null
                ? 'the file is empty'
                : `expected a mapping of keys, got ${describeValue(value)}`,
            hint: 'a spec is a mapping that starts like `deployment: acme` (see docs/spec.md)',
          },
        ];
      }
      if (own !== undefined) {
        return [
          withGot({
            path,
            message: own.message,
            hint: own.hint ?? typeHint(issue.expected, value) ?? described(),
          }),
        ];
      }
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const text = typeof value === 'object' ? undefined : context.sourceText(path);
      return [
        {
          path,
          message: `expected ${expected}, got ${describeValue(value)}${text === undefined ? '' : ` \`${text}\``}`,
          hint: typeHint(issue.expected, value) ?? described(),
        },
      ];
    }
    case 'invalid_value': {
      const allowed = issue.values.map(String);
      const suggestion = typeof value === 'string' ? closestMatch(value, allowed) : undefined;
      const message = own ?? { message: `expected one of ${allowed.join(', ')}` };
      const hint = suggestion === undefined ? message.hint : `did you mean \`${suggestion}\`?`;
      return [withGot({ path, message: message.message, hint })];
    }
    case 'too_small':
    case 'too_big': {
      if (own !== undefined) return [withGot({ path, message: own.message, hint: own.hint })];
      const bound = issue.code === 'too_small' ? 'at least' : 'at most';
      const limit = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const what =
        issue.origin === 'array'
          ? ` item${Number(limit) === 1 ? '' : 's'}`
          : issue.origin === 'string'
            ? ' characters'
            : '';
      const message =
        issue.origin === 'string' && issue.code === 'too_small' && Number(limit) === 1
          ? 'must not be empty'
          : `must have ${bound} ${limit}${what}`;
      return [withGot({ path, message, hint: described() })];
    }
    case 'custom': {
      const params = (issue.params ?? {}) as { hint?: string; target?: 'key' | 'value'; code?: string };
      const message = splitHint(issue.message);
      const problem: Problem = { path, message: message.message, hint: message.hint ?? params.hint };
      if (params.target !== undefined) problem.target = params.target;
      return [params.target === 'key' ? problem : withGot(problem)];
    }
    default: {
      const message = own ?? { message: issue.message };
      return [withGot({ path, message: message.message, hint: message.hint ?? described() })];
    }
  }
}

/** A "no kind" issue is noise when the check has an unknown key that is a misspelt kind (`tpc:`). */
function isMisspeltKind(issue: Issue, all: readonly Issue[]): boolean {
  if (issue.code !== 'custom' || (issue.params as { code?: string } | undefined)?.code !== MISSING_KIND)
    return false;
  const at = JSON.stringify(issue.path);
  return all.some(
    (other) =>
      other.code === 'unrecognized_keys' &&
      JSON.stringify(other.path) === at &&
      other.keys.some((key) => closestMatch(key, CHECK_KIND_KEYS) !== undefined),
  );
}

export function issuesToProblems(issues: readonly Issue[], context: IssueContext): Problem[] {
  return issues
    .filter((issue) => !isMisspeltKind(issue, issues))
    .flatMap((issue) => convertIssue(issue, [], context));
}

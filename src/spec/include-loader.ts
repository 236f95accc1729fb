/**
 * Reads the main spec file and, recursively, the files it includes: each is parsed, ${ENV}
 * substituted and validated on its own, so an error points into the file where it was written.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { type Environment, substituteEnvironment } from './env-substitution.ts';
import type { SpecError } from './errors.ts';
import { literalSecretProblems } from './literal-secrets.ts';
import { asArray, asObject } from './plain-data.ts';
import { fragmentSchema, specSchema } from './schema/spec.ts';
import {
  describeLocation,
  displayName,
  type FileProblem,
  locateProblem,
  parseSourceFile,
  type SourceFile,
  sourceText,
} from './source-file.ts';
import { issuesToProblems } from './zod-issues.ts';

export interface LoadedFile {
  file: SourceFile;
  /** The file's data after ${ENV} substitution; not necessarily valid. */
  data: unknown;
  /** True when the file parsed and matched its schema. */
  valid: boolean;
  isMain: boolean;
}

export interface LoadedFiles {
  /** Main file first, then includes depth-first in the order they are listed. */
  files: LoadedFile[];
  errors: SpecError[];
  warnings: SpecError[];
  /** Environment values substituted into any file (for scrubbing messages). */
  usedValues: Map<string, string>;
}

interface IncludeSite {
  from: SourceFile;
  path: (string | number)[];
}

function readError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a directory';
  if (code === 'EACCES') return 'permission denied';
  return (error as Error).message;
}

/**
 * `referencesOpaque`: the environment's values are stand-ins (validation without the secrets), so
 * format errors in values that came from ${NAME} say nothing about the spec and are left out.
 */
export function loadFiles(mainPath: string, env: Environment, referencesOpaque = false): LoadedFiles {
  const result: LoadedFiles = { files: [], errors: [], warnings: [], usedValues: new Map() };
  /** Files read so far, with where they were included (undefined for the main file). */
  const loaded = new Map<string, IncludeSite | undefined>();
  const report = (problem: FileProblem) => {
    const error = locateProblem(problem.file, problem);
    (error.severity === 'warning' ? result.warnings : result.errors).push(error);
  };

  const load = (absolutePath: string, stack: string[], site: IncludeSite | undefined): void => {
    let text: string;
    try {
      text = readFileSync(absolutePath, 'utf8');
    } catch (error) {
      if (site === undefined) {
        result.errors.push({
          file: displayName(absolutePath),
          line: 1,
          column: 1,
          path: '',
          message: `cannot read the spec file: ${readError(error)}`,
          hint: 'give the path of the spec, e.g. `steward validate steward.yaml`',
          severity: 'error',
        });
      } else {
        report({
          file: site.from,
          path: site.path,
          message: `cannot read included file ${displayName(absolutePath)}: ${readError(error)}`,
          hint: `check the path; include paths are relative to the including file's directory, ${displayName(path.dirname(site.from.path))}`,
        });
      }
      return;
    }

    const isMain = site === undefined;
    const parsed = parseSourceFile(absolutePath, text);
    const { file } = parsed;
    loaded.set(absolutePath, site);
    result.errors.push(...parsed.errors);
    result.warnings.push(...parsed.warnings);
    const entry: LoadedFile = { file, data: null, valid: false, isMain };
    result.files.push(entry);
    if (!parsed.readable) return;

    for (const problem of literalSecretProblems(parsed.data)) report({ ...problem, file });
    const substitution = substituteEnvironment(parsed.data, env);
    for (const [name, value] of substitution.usedValues) result.usedValues.set(name, value);
    for (const problem of substitution.problems) report({ ...problem, file });
    entry.data = substitution.data;

    const schema: z.ZodType = isMain ? specSchema : fragmentSchema;
    const validation = schema.safeParse(substitution.data);
    // A value still holding an unset ${VAR} has been reported already; its format errors would only confuse.
    const unset = new Set(substitution.problems.map((p) => JSON.stringify(p.path)));
    if (referencesOpaque) for (const at of substitution.referencePaths) unset.add(at);
    const problems = validation.success
      ? []
      : issuesToProblems(validation.error.issues, {
          root: schema,
          data: substitution.data,
          sourceText: (at) => sourceText(file, at),
        }).filter((problem) => !unset.has(JSON.stringify(problem.path)));
    for (const problem of problems) report({ ...problem, file });
    entry.valid =
      parsed.errors.length === 0 &&
      substitution.problems.length === 0 &&
      (validation.success || (referencesOpaque && problems.length === 0));

    asArray(asObject(substitution.data)?.include).forEach((target, i) => {
      if (typeof target !== 'string' || target === '') return;
      const includePath = path.resolve(path.dirname(absolutePath), target);
      const includeSite: IncludeSite = { from: file, path: ['include', i] };
      if (stack.includes(includePath)) {
        const cycle = [...stack.slice(stack.indexOf(includePath)), includePath].map((p) => displayName(p));
        report({
          ...includeSite,
          file,
          message: `include cycle: ${cycle.join(' → ')}`,
          hint: 'remove one of these includes: a file cannot include itself, directly or through others',
        });
        return;
      }
      if (loaded.has(includePath)) {
        const earlier = loaded.get(includePath);
        const where =
          earlier === undefined ? 'as the main file' : `at ${describeLocation(earlier.from, earlier.path)}`;
        report({
          ...includeSite,
          file,
          severity: 'warning',
          message: `${displayName(includePath)} is already included ${where}; it is read only once`,
          hint: 'remove one of the two includes',
        });
        return;
      }
      load(includePath, [...stack, includePath], includeSite);
    });
  };

  const main = path.resolve(mainPath);
  load(main, [main], undefined);
  return result;
}

/**
 * Where a part of the merged document (LoadResult.spec) was written. The merged document puts
 * included environments, hosts and roles in place; consumers of it (such as `steward synth`)
 * report their own findings at a path of it, and this finds the file, line and column.
 */
import { scrubSecrets } from './env-substitution.ts';
import type { DocumentPath, SpecError } from './errors.ts';
import type { MergedSpec } from './merge.ts';
import { type Origin, type SourceFile, specError } from './source-file.ts';

/** A located error (or warning) at a path of the merged document. */
export type SpecErrorAt = (
  path: DocumentPath,
  message: string,
  options?: { hint?: string; severity?: 'error' | 'warning' },
) => SpecError;

/** The file and the path inside it where the merged document's `path` was written. */
export function originInMerged(main: SourceFile, merged: MergedSpec, path: DocumentPath): Origin {
  const [first, second, third, fourth, ...rest] = path;
  if (first === 'environments' && typeof second === 'number') {
    const environment = merged.environments[second];
    if (environment !== undefined) {
      if (third === undefined) return environment.origin;
      if (third === 'hosts' && typeof fourth === 'number') {
        const host = environment.hosts[fourth];
        if (host !== undefined) return { file: host.origin.file, path: [...host.origin.path, ...rest] };
      }
      const tail = path.slice(3);
      if (third === 'defaults' && environment.defaults !== undefined) {
        return {
          file: environment.defaults.origin.file,
          path: [...environment.defaults.origin.path, ...tail],
        };
      }
      const setting = typeof third === 'string' ? environment.settings.get(third) : undefined;
      if (setting !== undefined)
        return { file: setting.origin.file, path: [...setting.origin.path, ...tail] };
      return environment.origin;
    }
  }
  if (first === 'roles' && typeof second === 'string') {
    const role = merged.roles.get(second);
    if (role !== undefined) return { file: role.origin.file, path: [...role.origin.path, ...path.slice(2)] };
  }
  return { file: main, path };
}

export function mergedErrorLocator(
  main: SourceFile,
  merged: MergedSpec,
  secrets: Map<string, string>,
): SpecErrorAt {
  return (path, message, options = {}) => {
    const origin = originInMerged(main, merged, path);
    return specError(origin.file, origin.path, scrubSecrets(message, secrets), {
      hint: options.hint === undefined ? undefined : scrubSecrets(options.hint, secrets),
      severity: options.severity ?? 'error',
    });
  };
}

/**
 * Checks `access:` against the rest of the spec: every environment a user is given must be
 * declared (with did-you-mean for near misses), and user names are unique.
 */
import { closestMatch } from './did-you-mean.ts';
import type { LoadedFile } from './include-loader.ts';
import type { MergedSpec } from './merge.ts';
import { asArray, asObject, stringAt } from './plain-data.ts';
import type { FileProblem } from './source-file.ts';

export function checkAccessReferences(main: LoadedFile, merged: MergedSpec): FileProblem[] {
  const problems: FileProblem[] = [];
  const declared = merged.environments.map((e) => e.name);
  const seen = new Map<string, number>();
  asArray(asObject(asObject(main.data)?.access)?.users).forEach((user, i) => {
    const name = stringAt(asObject(user), 'name');
    if (name !== undefined) {
      const first = seen.get(name);
      if (first !== undefined) {
        problems.push({
          file: main.file,
          path: ['access', 'users', i, 'name'],
          message: `user \`${name}\` is already listed (access.users[${first}])`,
          hint: 'list each operator once, with all their keys and environments',
        });
      } else seen.set(name, i);
    }
    asArray(asObject(user)?.environments).forEach((environment, j) => {
      if (typeof environment !== 'string' || declared.includes(environment)) return;
      const suggestion = closestMatch(environment, declared);
      problems.push({
        file: main.file,
        path: ['access', 'users', i, 'environments', j],
        message: `environment \`${environment}\` is not declared`,
        hint:
          suggestion !== undefined
            ? `did you mean \`${suggestion}\`?`
            : `declared environments: ${declared.join(', ') || 'none'}`,
      });
    });
  });
  return problems;
}

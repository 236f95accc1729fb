import type { LoadResult, SpecError } from '../spec/index.ts';
import { formatSpecError, loadSpec } from '../spec/index.ts';
import type { BlueprintInput } from '../synth/blueprint-input.ts';

export function printSpecErrors(file: string, errors: SpecError[], what: string): void {
  for (const e of errors) process.stderr.write(`${formatSpecError(e)}\n`);
  process.stderr.write(`${file}: ${what} — ${errors.length} error${errors.length === 1 ? '' : 's'}\n`);
}

/**
 * Loads a spec and maps it to the AWS blueprint's input, printing every error at its
 * file:line:column; null when there were errors. Needs no aws-cdk-lib (a second to load).
 */
export async function loadBlueprintInput(
  file: string,
  what: string,
): Promise<{ loaded: Extract<LoadResult, { ok: true }>; input: BlueprintInput } | null> {
  const loaded = loadSpec(file);
  if (!loaded.ok) {
    printSpecErrors(file, loaded.errors, 'invalid');
    return null;
  }
  const { blueprintInputOf } = await import('../synth/from-spec.ts');
  const blueprint = blueprintInputOf(loaded);
  if (!blueprint.ok) {
    printSpecErrors(file, blueprint.errors, what);
    return null;
  }
  return { loaded, input: blueprint.input };
}

import { markerEnvironment } from '../render/index.ts';
import { formatSpecError, loadSpec, type SpecError } from '../spec/index.ts';
import { DEFAULT_SPEC, parseCommandArgs } from './args.ts';

const HELP = `Usage: steward validate [FILE] [--json] [--no-env]

Checks a spec (default ${DEFAULT_SPEC}) and the files it includes, and prints every error at once:
file:line:column, where in the document, what was expected and what to do. Environment variables
referenced as \${NAME} must be set (their values are never printed).

  --json     print {"ok", "errors", "warnings", "summary"} as JSON on stdout
  --no-env   check without the environment, e.g. in CI that has no secrets: every \${NAME} counts
             as set (the reference's syntax is checked, the value it will have is not)

Exit code: 0 when the spec is valid (warnings allowed), 1 when it has errors, 2 on bad usage.
`;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function printAll(errors: SpecError[]): void {
  for (const e of errors) process.stderr.write(`${formatSpecError(e)}\n`);
}

export async function validateCommand(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(args);
  } catch (err) {
    process.stderr.write(`steward validate: ${(err as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 1) {
    process.stderr.write(`steward validate: one spec file at a time (got ${positionals.length})\n\n${HELP}`);
    return 2;
  }
  const file = positionals[0] ?? DEFAULT_SPEC;
  const result = loadSpec(file, values['no-env'] ? { env: markerEnvironment(), referencesOpaque: true } : {});

  if (!result.ok) {
    if (values.json) {
      process.stdout.write(
        `${JSON.stringify({ ok: false, errors: result.errors, warnings: result.warnings }, null, 2)}\n`,
      );
    } else {
      printAll(result.errors);
      printAll(result.warnings);
      const counts = [plural(result.errors.length, 'error')];
      if (result.warnings.length > 0) counts.push(plural(result.warnings.length, 'warning'));
      process.stderr.write(`${file}: invalid — ${counts.join(', ')}\n`);
    }
    return 1;
  }

  const d = result.deployment;
  const summary =
    `${d.name}: valid — ${plural(d.environments.length, 'environment')}, ${plural(d.hosts.length, 'host')}, ` +
    `${plural(d.services.length, 'service')}` +
    (result.warnings.length > 0 ? ` (${plural(result.warnings.length, 'warning')})` : '');
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ ok: true, errors: [], warnings: result.warnings, summary }, null, 2)}\n`,
    );
  } else {
    printAll(result.warnings);
    process.stdout.write(`${summary}\n`);
  }
  return 0;
}

function parseArgs(args: string[]) {
  return parseCommandArgs('validate', args, {
    json: { type: 'boolean' },
    'no-env': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
}

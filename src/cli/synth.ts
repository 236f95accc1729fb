import { isAbsolute, relative, resolve } from 'node:path';
import { DEFAULT_SPEC, parseOptionsOnly } from './args.ts';
import { loadBlueprintInput, printSpecErrors } from './spec-blueprint.ts';

const HELP = `Usage: steward synth [--spec FILE] [--out DIR]

Builds the AWS blueprint of the spec (default ${DEFAULT_SPEC}) as CloudFormation, offline and
without AWS credentials: one stack per environment (VPC, bastion, monitoring subnet and host,
application hosts, database, backup bucket) and an account stack (IAM with MFA enforced), in the
cdk.out layout, plus CHECKLIST.md with the steps CloudFormation cannot do. The AwsSolutions rules
of cdk-nag are checked on every run.

  --spec FILE   the spec (default ${DEFAULT_SPEC})
  --out DIR     where the templates go (default cdk.out)

Exit code: 0 when synthesized, 1 when the spec or the blueprint has errors (each at
file:line:column), 2 on bad usage.
`;

const OPTIONS = {
  spec: { type: 'string' },
  out: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

export const DEFAULT_SYNTH_OUT = 'cdk.out';

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

export async function synthCommand(args: string[]): Promise<number> {
  const values = parseOptionsOnly('synth', args, OPTIONS, HELP);
  if (typeof values === 'number') return values;
  const file = values.spec ?? DEFAULT_SPEC;
  const outDir = values.out ?? DEFAULT_SYNTH_OUT;
  const blueprint = await loadBlueprintInput(file, 'cannot synthesize the AWS blueprint');
  if (!blueprint) return 1;
  const { loaded } = blueprint;
  // aws-cdk-lib takes about a second to load: only once the blueprint input is known to be good.
  const synth = await import('../synth/index.ts');
  let result: { stacks: string[]; checklist: string[] };
  try {
    result = synth.synthesize(blueprint.input, outDir);
  } catch (err) {
    if (err instanceof synth.BlueprintInputError) {
      // checked above already; kept so a rule added to synth alone still points into the spec
      const { origins } = synth.blueprintFromSpec(loaded.spec);
      const errors = synth
        .problemsInSpec(origins, err.problems)
        .map((p) => loaded.errorAt(p.path, p.message, { hint: p.hint }));
      printSpecErrors(file, errors, 'cannot synthesize the AWS blueprint');
      return 1;
    }
    if (err instanceof synth.BlueprintValidationError) {
      process.stderr.write(`steward synth: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  const inside = relative(process.cwd(), resolve(outDir));
  const shown =
    inside === '' ? '.' : inside.startsWith('..') || isAbsolute(inside) ? resolve(outDir) : inside;
  const width = Math.max(...result.stacks.map((stack) => stack.length));
  process.stdout.write(
    `${blueprint.input.deployment}: ${plural(result.stacks.length, 'stack')} in ${shown}/\n`,
  );
  for (const stack of result.stacks)
    process.stdout.write(`  ${stack.padEnd(width)}  ${shown}/${stack}.template.json\n`);
  process.stdout.write(
    `\n${shown}/CHECKLIST.md: ${plural(result.checklist.length, 'manual step')} CloudFormation cannot do:\n`,
  );
  for (const step of result.checklist) process.stdout.write(`  - [ ] ${step}\n`);
  return 0;
}

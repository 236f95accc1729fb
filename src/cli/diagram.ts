import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { DEFAULT_SPEC, parseOptionsOnly } from './args.ts';
import { loadBlueprintInput } from './spec-blueprint.ts';

const HELP = `Usage: steward diagram [--spec FILE] [--out FILE.svg]

Draws the architecture of the spec's deployment (default ${DEFAULT_SPEC}) as SVG: per environment
the VPC with its subnets, the bastion, the monitoring host, the hosts and databases, and every
allowed flow with its port — the same flows \`steward synth\` turns into security groups, so a
committed diagram regenerated in CI never goes stale.

  --spec FILE       the spec (default ${DEFAULT_SPEC})
  --out FILE.svg    where to write the SVG (default: standard output)

Exit code: 0 when written, 1 when the spec or the blueprint has errors (each at
file:line:column), 2 on bad usage.
`;

const OPTIONS = {
  spec: { type: 'string' },
  out: { type: 'string', short: 'o' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function diagramCommand(args: string[]): Promise<number> {
  const values = parseOptionsOnly('diagram', args, OPTIONS, HELP);
  if (typeof values === 'number') return values;
  const file = values.spec ?? DEFAULT_SPEC;
  const blueprint = await loadBlueprintInput(file, 'cannot draw the AWS blueprint');
  if (!blueprint) return 1;
  // The diagram needs no aws-cdk-lib (a second to load), so not src/synth/index.ts.
  const { renderDiagram } = await import('../synth/diagram.ts');
  const svg = renderDiagram(blueprint.input);
  if (values.out === undefined || values.out === '-') {
    process.stdout.write(svg);
    return 0;
  }
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, svg);
  const environments = blueprint.input.environments;
  const hosts = environments.reduce((n, env) => n + env.hosts.length, 0);
  process.stdout.write(
    `${values.out}: ${blueprint.input.deployment}, ${environments.length} environment${environments.length === 1 ? '' : 's'}, ${hosts} host${hosts === 1 ? '' : 's'}\n`,
  );
  return 0;
}

import { resolve } from 'node:path';
import { serviceId, stateName } from '../core/index.ts';
import { runProbe } from '../probes/index.ts';
import { formatSpecError, loadSpec } from '../spec/index.ts';
import { DEFAULT_SPEC, parseCommandArgs } from './args.ts';

const HELP = `Usage: steward check HOST[/SERVICE] [--spec FILE] [--json]

Runs one check from the spec now, here, and prints its result the way a plugin would (first line,
long output, perfdata). The exit code is the check's state (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN),
so it composes with scripts. It does not change the server's state: use the API's recheck for that.
`;

export async function checkCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('check', args, {
    spec: { type: 'string', default: DEFAULT_SPEC },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const target = positionals[0];
  if (values.help || !target) {
    process.stdout.write(HELP);
    return values.help ? 0 : 3;
  }
  const loaded = loadSpec(resolve(values.spec));
  if (!loaded.ok) {
    for (const e of loaded.errors) process.stderr.write(`${formatSpecError(e)}\n`);
    return 3;
  }
  const d = loaded.deployment;
  const slash = target.indexOf('/');
  const id = slash < 0 ? target : serviceId(target.slice(0, slash), target.slice(slash + 1));
  const obj = d.services.find((s) => s.id === id) ?? d.hosts.find((h) => h.id === id);
  if (!obj) {
    const host = slash < 0 ? target : target.slice(0, slash);
    const names = d.services.filter((s) => s.host === host).map((s) => s.name);
    const hint =
      names.length > 0
        ? `services of ${host}: ${names.join(', ')}`
        : `hosts: ${d.hosts.map((h) => h.name).join(', ')}`;
    process.stderr.write(`no "${target}" in ${values.spec}; ${hint}\n`);
    return 3;
  }
  if (!obj.probe || obj.probe.kind === 'passive') {
    process.stderr.write(
      `"${target}" has no active check to run (${obj.probe ? 'passive: results come from the API' : 'host without hostCheck'})\n`,
    );
    return 3;
  }
  const host = obj.kind === 'host' ? obj : d.hosts.find((h) => h.name === obj.host)!;
  const r = await runProbe(obj.probe, {
    timeoutMs: obj.timing.timeoutMs,
    timeoutState: obj.timeoutState,
    objectKind: obj.kind,
    host: { name: host.name, address: host.address },
    pluginDirs: d.pluginDirs,
    warning: obj.warning,
    critical: obj.critical,
  });
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify({ id, state: stateName('service', r.state), code: r.state, output: r.output, longOutput: r.longOutput, perfdata: r.perfdata, durationMs: r.finishedAt - r.startedAt }, null, 2)}\n`,
    );
  } else {
    const perf = r.perfdata
      .map((p) =>
        `'${p.label.replace(/'/g, "''")}'=${p.value}${p.uom};${p.warn ?? ''};${p.crit ?? ''};${p.min ?? ''};${p.max ?? ''}`.replace(
          /;+$/,
          '',
        ),
      )
      .join(' ');
    process.stdout.write(`${stateName('service', r.state)}: ${r.output}${perf ? ` | ${perf}` : ''}\n`);
    if (r.longOutput) process.stdout.write(`${r.longOutput}\n`);
  }
  return r.state >= 0 && r.state <= 3 ? r.state : 3;
}

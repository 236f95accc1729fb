import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ObjectStatus, stateName } from '../core/index.ts';
import { loadSpec } from '../spec/index.ts';
import { openSqliteStore } from '../store/index.ts';
import { DEFAULT_DATA_DIR, DEFAULT_SPEC, parseCommandArgs } from './args.ts';
import { specOfDataDir } from './served-spec.ts';

const HELP = `Usage: steward status [--data DIR] [--spec FILE] [--all] [--json]

Prints the current problems (non-OK hosts and services), worst first, from the data directory of a
server (running or not). --all prints everything; --json prints an array of objects.
With the spec (default: the one the server of DIR runs, else ${DEFAULT_SPEC} when present) rows
also show their environment and maximum attempts.
`;

const SEVERITY = [0, 2, 3, 1]; // OK < WARNING < UNKNOWN < CRITICAL, for sorting services

export async function statusCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'status',
    args,
    {
      data: { type: 'string', default: DEFAULT_DATA_DIR },
      spec: { type: 'string' },
      all: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const dataDir = resolve(values.data);
  if (!existsSync(dataDir)) {
    process.stderr.write(
      `no data directory ${dataDir}: start a server with steward serve --data ${values.data}\n`,
    );
    return 1;
  }
  const environments = new Map<string, string>();
  const maxAttempts = new Map<string, number>();
  const store = openSqliteStore(dataDir);
  let statuses: ObjectStatus[];
  try {
    const specFile = specOfDataDir(values.spec, store);
    const loaded = specFile ? loadSpec(resolve(specFile)) : undefined;
    if (loaded?.ok) {
      for (const o of [...loaded.deployment.hosts, ...loaded.deployment.services]) {
        environments.set(o.id, o.environment);
        maxAttempts.set(o.id, o.timing.maxAttempts);
      }
    }
    statuses = store.loadStatuses();
  } finally {
    store.close();
  }
  const rows = statuses
    .filter((s) => values.all || s.state !== 0)
    .map((s) => {
      const slash = s.id.indexOf('/');
      return {
        environment: environments.get(s.id) ?? '',
        host: slash < 0 ? s.id : s.id.slice(0, slash),
        service: slash < 0 ? '' : s.id.slice(slash + 1),
        kind: s.kind,
        state: stateName(s.kind, s.state),
        checked: s.hasBeenChecked,
        stateType: s.stateType,
        attempt: s.attempt,
        maxAttempts: maxAttempts.get(s.id) ?? null,
        acknowledged: s.acknowledgement !== null,
        inDowntime: s.activeDowntimes.length > 0,
        flapping: s.flap.flapping,
        lastCheck: s.lastCheck ? new Date(s.lastCheck).toISOString() : null,
        lastStateChange: s.lastStateChange ? new Date(s.lastStateChange).toISOString() : null,
        output: s.output,
        severity: s.kind === 'host' ? (s.state === 0 ? 0 : 5) : (SEVERITY[s.state] ?? 0),
      };
    })
    .sort(
      (a, b) => b.severity - a.severity || a.host.localeCompare(b.host) || a.service.localeCompare(b.service),
    );
  if (values.json) {
    process.stdout.write(
      `${JSON.stringify(
        rows.map(({ severity, ...r }) => r),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  if (rows.length === 0) {
    process.stdout.write(
      values.all
        ? 'nothing monitored yet\n'
        : `no problems (${statuses.length} hosts and services, all OK/UP)\n`,
    );
    return 0;
  }
  const table = rows.map((r) => [
    r.environment,
    r.host,
    r.service || '(host)',
    r.checked ? r.state : 'PENDING', // as Nagios shows what has not run yet, not as OK
    `${r.stateType} ${r.attempt}/${r.maxAttempts ?? '?'}`,
    [r.acknowledged ? 'ack' : '', r.inDowntime ? 'downtime' : '', r.flapping ? 'flapping' : '']
      .filter(Boolean)
      .join(',') || '-',
    r.lastStateChange ? since(Date.parse(r.lastStateChange)) : '-',
    r.output.length > 80 ? `${r.output.slice(0, 79)}…` : r.output,
  ]);
  const header = ['ENV', 'HOST', 'SERVICE', 'STATE', 'TYPE', 'HANDLED', 'SINCE', 'OUTPUT'];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  process.stdout.write(`${line(header)}\n${table.map(line).join('\n')}\n`);
  return 0;
}

function since(t: number): string {
  const s = Math.max(0, Math.round((Date.now() - t) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  if (s < 172800) return `${Math.round(s / 3600)}h`;
  return `${Math.round(s / 86400)}d`;
}

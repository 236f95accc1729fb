import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { formatSpecError, loadSpec } from '../spec/index.ts';
import { openSqliteStore, type Store } from '../store/index.ts';
import { buildAvailabilityReport, printPdf, reportCsv, reportDocument } from '../web/reports/index.ts';
import { parseTimeParam } from '../web/time-param.ts';
import { DEFAULT_DATA_DIR, DEFAULT_SPEC, parseCommandArgs } from './args.ts';
import { specOfDataDir } from './served-spec.ts';

const HELP = `Usage: steward report --environment ENV [--from TIME] [--to TIME] [--pdf FILE] [--html FILE] [--csv FILE]
                      [--spec FILE] [--data DIR]

Availability of every host and service of ENV over a period: time in each state, outages with
durations, SLA % (time in scheduled downtime does not count against it), from the history in DIR.
TIME: ISO 8601 (2026-11-01 or 2026-11-01T00:00:00Z), epoch seconds, or relative (-30d). Default:
the last 30 days. Without --pdf/--html/--csv the CSV goes to standard output. --pdf prints with
Chromium (/usr/bin/chromium). The spec defaults to the one the server of DIR (default ./data) runs.
`;

export async function reportCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'report',
    args,
    {
      environment: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      pdf: { type: 'string' },
      html: { type: 'string' },
      csv: { type: 'string' },
      spec: { type: 'string' },
      data: { type: 'string', default: DEFAULT_DATA_DIR },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const environment = values.environment;
  if (!environment) throw new Error('which environment? --environment prod');
  const dataDir = resolve(values.data);
  if (!existsSync(dataDir)) throw new Error(`no data directory ${dataDir}: give the server's --data DIR`);
  const store = openSqliteStore(dataDir);
  try {
    return await writeReport({ ...values, environment }, store);
  } finally {
    store.close();
  }
}

async function writeReport(
  values: {
    environment: string;
    spec?: string;
    from?: string;
    to?: string;
    csv?: string;
    html?: string;
    pdf?: string;
  },
  store: Store,
): Promise<number> {
  const specFile = specOfDataDir(values.spec, store) ?? DEFAULT_SPEC;
  const loaded = loadSpec(resolve(specFile));
  if (!loaded.ok) {
    for (const e of loaded.errors) process.stderr.write(`${formatSpecError(e)}\n`);
    throw new Error(`the spec ${specFile} has errors; the report needs it to know the hosts and services`);
  }
  const d = loaded.deployment;
  if (!d.environments.some((e) => e.name === values.environment)) {
    throw new Error(
      `no environment "${values.environment}" in ${specFile}; there are: ${d.environments.map((e) => e.name).join(', ')}`,
    );
  }
  const now = Date.now();
  const from = parseTimeParam(values.from, now, now - 30 * 86_400_000);
  const toText =
    values.to && /^\d{4}-\d{2}-\d{2}$/.test(values.to) ? `${values.to}T23:59:59.999Z` : values.to;
  const to = parseTimeParam(toText, now, now);
  if (typeof from === 'object') throw new Error(`--from: ${from.error}`);
  if (typeof to === 'object') throw new Error(`--to: ${to.error}`);
  if (to <= from) throw new Error('--to must be after --from');
  const objects = [
    ...d.hosts.map((h) => ({
      id: h.id,
      kind: 'host' as const,
      host: h.name,
      name: h.name,
      environment: h.environment,
    })),
    ...d.services.map((s) => ({
      id: s.id,
      kind: 'service' as const,
      host: s.host,
      name: s.name,
      environment: s.environment,
    })),
  ];
  const report = buildAvailabilityReport(store, objects, values.environment, from, Math.min(to, now));
  const written: string[] = [];
  if (values.csv) {
    writeFileSync(values.csv, reportCsv(report));
    written.push(values.csv);
  }
  if (values.html) {
    writeFileSync(values.html, reportDocument(report, d.name));
    written.push(values.html);
  }
  if (values.pdf) {
    await printPdf(reportDocument(report, d.name), values.pdf);
    written.push(values.pdf);
  }
  if (written.length === 0) process.stdout.write(reportCsv(report));
  else process.stderr.write(`wrote ${written.join(', ')} (${report.rows.length} hosts and services)\n`);
  return 0;
}

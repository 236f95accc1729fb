import { mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import {
  type AccessSpec,
  type AuditShipperStats,
  accessFromSpec,
  auditReportClient,
  checkReportTarget,
  type GatewayConfig,
  gatewayAuditEntry,
  gatewayConfigFromDeployment,
  gatewayMetricsText,
  gatewayPaths,
  jsonLinesAuditSink,
  REPORTER_NAME,
  type ReportTarget,
  type RunningGateway,
  startAuditShipper,
  startGateway,
} from '../gateway/index.ts';
import { createLogger, type Logger } from '../log/index.ts';
import { formatSpecError, loadSpec } from '../spec/index.ts';
import { openSqliteStore, type Store } from '../store/index.ts';
import { DEFAULT_DATA_DIR, DEFAULT_SPEC, parseCommandArgs } from './args.ts';
import { parseListen } from './serve.ts';

const HELP = `Usage: steward gateway [--spec FILE] [--data DIR] [--listen HOST:PORT] [--metrics-listen HOST:PORT]
                       [--report-to https://MONITOR:8443 [--token-env VAR] [--report-fingerprint FP | --report-ca FILE] [--name NAME]]

Runs the SSH bastion: operators log in with their key and a TOTP code, and may only jump
(ssh -J / ProxyJump) to the SSH ports of hosts in their environments.

  --spec FILE         the deployment spec with an access: section (default ${DEFAULT_SPEC})
  --data DIR          host key, grants, TOTP secrets, audit log (default ./${DEFAULT_DATA_DIR})
  --listen HOST:PORT  overrides access.bastion.listen and .port
  --metrics-listen HOST:PORT  serves /metrics (Prometheus text) on this loopback address

  --report-to URL     ships the audit log to the monitoring server's steward serve (also
                      access.bastion.reportTo.url), so its dashboard shows the bastion's events
  --token-env VAR     the environment variable with an audit-writer API token (default STEWARD_TOKEN)
  --report-fingerprint FP  the server certificate's SHA-256 fingerprint (its self-signed default)
  --report-ca FILE    or the CA that signed it (else the system's CAs); never unverified
  --name NAME         the bastion's name there (access.bastion.name, default the host name)

Audit: every event is a JSON line in DIR/gateway/audit.jsonl and a row of the store's audit log.
With --report-to that file is also the outbox: events are shipped in batches, kept (and retried
with backoff) while the server is down or refuses, and stored there exactly once.
Signals: SIGHUP re-reads the spec (users, keys, environments, hosts; reportTo needs a restart),
SIGTERM/SIGINT stop.
Grants (steward access grant) and enrolments take effect without a signal.
`;

function isLoopback(host: string): boolean {
  return (isIP(host) === 4 && host.startsWith('127.')) || host === '::1' || host === 'localhost';
}

/** Loads the spec and builds the gateway config; throws one message listing every spec error. */
function configFrom(
  specFile: string,
  dataDir: string,
  audit: GatewayConfig['audit'],
  listen: { host: string; port: number } | undefined,
): { config: GatewayConfig; warnings: string[]; bastion: AccessSpec['bastion'] } {
  const loaded = loadSpec(specFile);
  if (!loaded.ok) {
    throw new Error(
      `the spec has ${loaded.errors.length} error(s):\n${loaded.errors.map(formatSpecError).join('\n')}`,
    );
  }
  const access = accessFromSpec(loaded.spec);
  const built = gatewayConfigFromDeployment(loaded.deployment, access, {
    dataDir,
    audit,
    warn: (message) => process.stderr.write(`steward gateway: warning: ${message}\n`),
  });
  if (listen) built.config.listen = listen;
  return {
    config: built.config,
    warnings: [...loaded.warnings.map(formatSpecError), ...built.warnings],
    bastion: access.bastion,
  };
}

type ReportOptions = {
  'report-to'?: string;
  'token-env'?: string;
  'report-fingerprint'?: string;
  'report-ca'?: string;
  name?: string;
};

/**
 * Where and as whom the audit log is shipped: the command line over access.bastion. Undefined
 * when neither names a server; throws on what the operator mistyped. A missing token or an
 * unreadable CA file is a `problem` instead: the bastion still starts (a reboot with a lost
 * environment file must not lock every operator out), events queue, and every attempt logs
 * the problem and counts as a failure in /metrics.
 */
function reportTargetFrom(
  values: ReportOptions,
  bastion: AccessSpec['bastion'] | undefined,
): { target: ReportTarget; source: string; problem?: string } | undefined {
  const spec = bastion?.reportTo;
  const url = values['report-to'] ?? spec?.url;
  if (url === undefined) {
    for (const flag of ['token-env', 'report-fingerprint', 'report-ca'] as const) {
      if (values[flag] !== undefined) throw new Error(`--${flag} goes with --report-to URL`);
    }
    return undefined;
  }
  const tokenEnv = values['token-env'] ?? spec?.tokenEnv ?? 'STEWARD_TOKEN';
  const token = process.env[tokenEnv]?.trim() ?? '';
  let problem: string | undefined;
  if (!token) {
    problem = `the environment variable ${tokenEnv} holds no token for ${url}; on the monitoring host run steward token create --name ${bastion?.name ?? 'bastion'} --role audit-writer, give it to the gateway in ${tokenEnv} and restart it`;
  }
  const caFile = values['report-ca'] ?? spec?.ca;
  let ca: string | undefined;
  if (caFile !== undefined) {
    try {
      ca = readFileSync(resolve(caFile), 'utf8');
    } catch (err) {
      problem ??= `cannot read the CA file ${caFile} (--report-ca / access.bastion.reportTo.ca): ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
    }
  }
  const fingerprint = values['report-fingerprint'] ?? spec?.fingerprint;
  const source = values.name ?? bastion?.name ?? hostname();
  if (!REPORTER_NAME.test(source)) {
    throw new Error(
      `--name "${source}": the bastion's name must be 1-64 letters, digits, '_', '.', '@' or '-' (not "local")`,
    );
  }
  return {
    target: {
      url,
      token,
      ...(fingerprint !== undefined ? { fingerprint } : {}),
      ...(ca !== undefined ? { ca } : {}),
    },
    source,
    ...(problem !== undefined ? { problem } : {}),
  };
}

async function startMetrics(
  address: { host: string; port: number },
  gateway: () => RunningGateway,
  shipper: () => AuditShipperStats | undefined,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
      .end(gatewayMetricsText(gateway().stats(), shipper()));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      fail(new Error(`--metrics-listen ${address.host}:${address.port}: ${err.code ?? err.message}`)),
    );
    server.listen(address.port, address.host, done);
  });
  return server;
}

export async function gatewayCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(
    'gateway',
    args,
    {
      spec: { type: 'string', default: DEFAULT_SPEC },
      data: { type: 'string', default: DEFAULT_DATA_DIR },
      listen: { type: 'string' },
      'metrics-listen': { type: 'string' },
      'report-to': { type: 'string' },
      'token-env': { type: 'string' },
      'report-fingerprint': { type: 'string' },
      'report-ca': { type: 'string' },
      name: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    false,
  );
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const specFile = resolve(values.spec);
  const dataDir = resolve(values.data);
  const listen = values.listen === undefined ? undefined : parseListen(values.listen);
  const metricsListen =
    values['metrics-listen'] === undefined ? undefined : parseListen(values['metrics-listen']);
  if (metricsListen && !isLoopback(metricsListen.host)) {
    throw new Error(
      `--metrics-listen ${metricsListen.host}: give a loopback address (127.0.0.1 or ::1); scrape it through the monitoring host's own agent or an SSH tunnel`,
    );
  }
  const log: Logger = createLogger();
  mkdirSync(dataDir, { recursive: true });
  const paths = gatewayPaths(dataDir);
  const jsonLines = jsonLinesAuditSink(paths.auditFile);
  const store: Store = openSqliteStore(dataDir);
  let shipper: ReturnType<typeof startAuditShipper> | undefined;
  const audit = (event: Record<string, unknown>) => {
    jsonLines(event);
    try {
      store.appendAudit(gatewayAuditEntry(event));
    } catch (err) {
      log.error({ err: (err as Error).message }, 'gateway: writing the audit log to the store failed');
    }
    shipper?.nudge();
  };

  let gateway: RunningGateway;
  let metrics: Server | undefined;
  let report: ReturnType<typeof reportTargetFrom>;
  try {
    const { config, warnings, bastion } = configFrom(specFile, dataDir, audit, listen);
    report = reportTargetFrom(values, bastion);
    // A mistyped URL or fingerprint stops the start: the operator is there to fix it.
    if (report) checkReportTarget(report.target);
    if (report?.problem) warnings.push(`audit shipping cannot work: ${report.problem}`);
    for (const warning of warnings) process.stderr.write(`steward gateway: warning: ${warning}\n`);
    gateway = await startGateway(config, log);
    if (report) {
      const { problem } = report;
      const client = problem === undefined ? auditReportClient(report.target) : undefined;
      shipper = startAuditShipper({
        auditFile: paths.auditFile,
        offsetFile: paths.auditShippedFile,
        source: report.source,
        post: (body) => (client ? client.post(body) : Promise.reject(new Error(problem))),
        logger: log,
      });
    }
    if (metricsListen)
      metrics = await startMetrics(
        metricsListen,
        () => gateway,
        () => shipper?.stats(),
      );
  } catch (err) {
    await jsonLines.close();
    store.close();
    throw err;
  }
  const metricsAddress = metrics?.address();
  process.stdout.write(
    `steward gateway: listening on port ${gateway.port}, host key ${gateway.hostKey.fingerprint}` +
      (metricsAddress && typeof metricsAddress === 'object'
        ? `, metrics on http://${metricsListen!.host}:${metricsAddress.port}/metrics`
        : '') +
      (report ? `, audit shipped to ${report.target.url} as ${report.source}` : '') +
      '\n',
  );

  const reload = () => {
    try {
      const { config, warnings } = configFrom(specFile, dataDir, audit, listen);
      for (const warning of warnings) process.stderr.write(`steward gateway: warning: ${warning}\n`);
      gateway.reconfigure(config);
      audit({ ts: new Date().toISOString(), type: 'reload', result: 'ok', users: config.users.length });
    } catch (err) {
      // The running configuration stays: a broken spec must not lock every operator out.
      log.error(
        { err: (err as Error).message },
        'gateway: spec reload refused; keeping the running configuration',
      );
      audit({ ts: new Date().toISOString(), type: 'reload', result: 'refused' });
    }
  };
  process.on('SIGHUP', reload);

  return await new Promise<number>((done) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'gateway stopping');
      try {
        process.off('SIGHUP', reload);
        await gateway.close();
        // The last events (disconnects, closedBy: shutdown) reach the server now if it is up.
        await shipper?.drain(3_000);
        await shipper?.close();
        await new Promise<void>((closed) => (metrics ? metrics.close(() => closed()) : closed()));
        await jsonLines.close();
        store.close();
      } finally {
        log.flush();
        done(0);
      }
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  });
}

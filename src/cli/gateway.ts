import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import {
  accessFromSpec,
  type GatewayConfig,
  gatewayAuditEntry,
  gatewayConfigFromDeployment,
  gatewayMetricsText,
  gatewayPaths,
  jsonLinesAuditSink,
  type RunningGateway,
  startGateway,
} from '../gateway/index.ts';
import { createLogger, type Logger } from '../log/index.ts';
import { formatSpecError, loadSpec } from '../spec/index.ts';
import { openSqliteStore, type Store } from '../store/index.ts';
import { DEFAULT_DATA_DIR, DEFAULT_SPEC, parseCommandArgs } from './args.ts';
import { parseListen } from './serve.ts';

const HELP = `Usage: steward gateway [--spec FILE] [--data DIR] [--listen HOST:PORT] [--metrics-listen HOST:PORT]

Runs the SSH bastion: operators log in with their key and a TOTP code, and may only jump
(ssh -J / ProxyJump) to the SSH ports of hosts in their environments.

  --spec FILE         the deployment spec with an access: section (default ${DEFAULT_SPEC})
  --data DIR          host key, grants, TOTP secrets, audit log (default ./${DEFAULT_DATA_DIR})
  --listen HOST:PORT  overrides access.bastion.listen and .port
  --metrics-listen HOST:PORT  serves /metrics (Prometheus text) on this loopback address

Audit: every event is a JSON line in DIR/gateway/audit.jsonl and a row of the store's audit log.
Signals: SIGHUP re-reads the spec (users, keys, environments, hosts), SIGTERM/SIGINT stop.
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
): { config: GatewayConfig; warnings: string[] } {
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
  return { config: built.config, warnings: [...loaded.warnings.map(formatSpecError), ...built.warnings] };
}

async function startMetrics(
  address: { host: string; port: number },
  gateway: () => RunningGateway,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' })
      .end(gatewayMetricsText(gateway().stats()));
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
  const audit = (event: Record<string, unknown>) => {
    jsonLines(event);
    try {
      store.appendAudit(gatewayAuditEntry(event));
    } catch (err) {
      log.error({ err: (err as Error).message }, 'gateway: writing the audit log to the store failed');
    }
  };

  let gateway: RunningGateway;
  let metrics: Server | undefined;
  try {
    const { config, warnings } = configFrom(specFile, dataDir, audit, listen);
    for (const warning of warnings) process.stderr.write(`steward gateway: warning: ${warning}\n`);
    gateway = await startGateway(config, log);
    if (metricsListen) metrics = await startMetrics(metricsListen, () => gateway);
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

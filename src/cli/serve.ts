import { X509Certificate } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AlertDispatcher } from '../alerting/index.ts';
import { operatorNetworkFilter } from '../auth/index.ts';
import { BackupScheduler } from '../backup/index.ts';
import { Engine, type ReloadReport } from '../engine/index.ts';
import { createLogger } from '../log/index.ts';
import { defaultPluginSpawners, PluginSpawnerPool, usePluginSpawnerPool } from '../probes/index.ts';
import { formatSpecError, loadSpec } from '../spec/index.ts';
import { openSqliteStore } from '../store/index.ts';
import { buildServer, ensureTlsMaterial } from '../web/index.ts';
import { DEFAULT_DATA_DIR, DEFAULT_SPEC, parseCommandArgs } from './args.ts';
import { tuneHeapForLongRunningServer } from './heap-tuning.ts';
import { version } from './index.ts';
import { SERVED_SPEC } from './served-spec.ts';

const HELP = `Usage: steward serve [--spec FILE] [--data DIR] [--listen HOST:PORT] [--tls-cert FILE --tls-key FILE]

Runs the monitoring engine, the store and the HTTPS API.

  --spec FILE         the deployment spec (default ${DEFAULT_SPEC})
  --data DIR          state, history and metrics (default ./${DEFAULT_DATA_DIR})
  --listen HOST:PORT  where the HTTPS API listens (default 127.0.0.1:8443; [::]:8443 for all)
  --tls-cert, --tls-key   your certificate; without them a self-signed one is made in DIR/tls
  --concurrency N     checks in flight at once (default 512)
  --plugin-spawners N processes that fork plugin checks for the server (default: 2 per CPU, at most 4;
                      0 forks from the server itself, slower once it holds many services)
  --trusted-proxy CIDR  a reverse proxy whose X-Forwarded-For is believed (repeatable); connections
                      from anywhere else outside operatorNetworks are closed before TLS
  --audit-from CIDR   a bastion's network (repeatable): it may only POST its audit events
                      (steward gateway --report-to), with an audit-writer token

Signals: SIGHUP re-reads the spec (also: steward reload), SIGTERM/SIGINT stop gracefully.
`;

export function parseListen(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || port < 0 || port > 65535) {
    throw new Error(`--listen "${text}" is not HOST:PORT (e.g. 127.0.0.1:8443 or [::]:8443)`);
  }
  return { host: (m[1] ?? m[2])!, port };
}

export async function serveCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs('serve', args, {
    spec: { type: 'string', default: DEFAULT_SPEC },
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    listen: { type: 'string', default: '127.0.0.1:8443' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    concurrency: { type: 'string', default: '512' },
    'plugin-spawners': { type: 'string' },
    'trusted-proxy': { type: 'string', multiple: true },
    'audit-from': { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  tuneHeapForLongRunningServer();
  const specFile = resolve(values.spec);
  const dataDir = resolve(values.data);
  const listen = parseListen(values.listen);
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new Error('--concurrency must be a positive integer');
  const spawnerCount =
    values['plugin-spawners'] === undefined ? defaultPluginSpawners() : Number(values['plugin-spawners']);
  if (!Number.isInteger(spawnerCount) || spawnerCount < 0)
    throw new Error('--plugin-spawners must be 0 or a positive integer');
  const auditReporters = values['audit-from'] ?? [];
  for (const cidr of auditReporters) {
    try {
      operatorNetworkFilter([cidr]);
    } catch {
      throw new Error(`--audit-from "${cidr}" is not a CIDR; write the bastion's address like 10.20.0.10/32`);
    }
  }
  const log = createLogger();

  const loaded = loadSpec(specFile);
  for (const w of loaded.warnings) process.stderr.write(`${formatSpecError(w)}\n`);
  if (!loaded.ok) {
    for (const e of loaded.errors) process.stderr.write(`${formatSpecError(e)}\n`);
    process.stderr.write(
      `steward serve: the spec has ${loaded.errors.length} error(s); nothing started. Fix them (steward validate ${values.spec}) and start again.\n`,
    );
    return 1;
  }

  mkdirSync(dataDir, { recursive: true });
  const spawners = spawnerCount > 0 ? new PluginSpawnerPool(spawnerCount) : undefined;
  usePluginSpawnerPool(spawners);
  const store = openSqliteStore(dataDir);
  const engine = new Engine({ deployment: loaded.deployment, store, logger: log, concurrency });
  const alerting = new AlertDispatcher({ engine, store, logger: log });
  // Backup jobs Steward runs itself; their outcomes are passive results of the jobs' services.
  const backups = new BackupScheduler({
    backup: loaded.deployment.backup,
    dataDir,
    log,
    submit: (id, result) => {
      engine.submitResult(id, result);
      engine.flush();
    },
  });

  // Reloads are synchronous (spec parse + diff), so two SIGHUPs can never interleave.
  const reload = async (): Promise<ReloadReport> => {
    const next = loadSpec(specFile);
    const report = next.ok
      ? engine.reload(next.deployment)
      : engine.reloadRefused(next.errors.map(formatSpecError));
    if (next.ok && report.ok) alerting.reconfigure(next.deployment.alerting);
    if (next.ok && report.ok) backups.reload(next.deployment.backup);
    store.setMeta('last_reload', JSON.stringify(report));
    return report;
  };

  let app: Awaited<ReturnType<typeof buildServer>> | undefined;
  let tls: Awaited<ReturnType<typeof ensureTlsMaterial>>;
  try {
    tls = await ensureTlsMaterial(dataDir, values['tls-cert'], values['tls-key']);
    app = await buildServer({
      engine,
      store,
      logger: log,
      tls,
      version: version(),
      reload,
      trustedProxies: values['trusted-proxy'] ?? [],
      auditReporters,
    });
    await app.listen({ host: listen.host, port: listen.port }).catch((err: NodeJS.ErrnoException) => {
      throw err.code === 'EADDRINUSE'
        ? new Error(
            `${values.listen} is in use (another steward serve?): stop it, or choose --listen HOST:PORT`,
          )
        : err;
    });
  } catch (err) {
    // Nothing runs without the API (a port in use, unreadable certificate): the process ends
    // instead of checking and alerting with no dashboard, and a supervisor sees the failure.
    await app?.close();
    await spawners?.stop();
    store.close();
    log.flush();
    throw err;
  }
  store.setMeta(SERVED_SPEC, specFile); // steward status/report on this directory need no --spec
  // Checks start once the API listens, so checks of the server itself (the demo's) see it up.
  engine.start();
  alerting.start();
  backups.start();
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : listen.port;
  const pidFile = join(dataDir, 'steward.pid');
  writeFileSync(pidFile, `${process.pid}\n`);
  log.info(
    {
      url: `https://${listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}/`,
      spec: specFile,
      data: dataDir,
      tls: tls.source,
      // What a bastion pins (steward gateway --report-fingerprint) to ship its audit log here.
      tlsFingerprint: new X509Certificate(tls.cert).fingerprint256,
    },
    'steward serving',
  );

  process.on('SIGHUP', () => {
    void reload();
  });

  return await new Promise<number>((done) => {
    let stopping = false;
    const stop = async (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping');
      try {
        await app.close();
        await alerting.stop();
        await backups.stop();
        await engine.stop();
        await spawners?.stop();
        store.close();
        rmSync(pidFile, { force: true });
      } finally {
        log.flush();
        done(0);
      }
    };
    process.on('SIGTERM', () => void stop('SIGTERM'));
    process.on('SIGINT', () => void stop('SIGINT'));
  });
}

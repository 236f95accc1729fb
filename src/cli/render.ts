import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { markerEnvironment, renderHost } from '../render/index.ts';
import { formatSpecError, loadSpec } from '../spec/index.ts';
import { DEFAULT_SPEC, parseCommandArgs } from './args.ts';

const HELP = `Usage: steward render host HOST [--spec FILE] --out DIR [--steward-url URL] [--steward-ca FILE]

Writes the configuration of HOST's monitoring agents, from the spec (default ${DEFAULT_SPEC}):
  snmpd.conf   v2c communities answering only the monitoring source, v3 users, all disks
  nrpe.cfg     allowed_hosts = the monitoring source, the commands the host's nrpe/jvm checks ask
               for (arguments fixed in the file unless a check says sendArgs)
  plugins/     plugins Steward ships that those commands run (check_jvm_jstat)
  backup/      the host's own backup jobs (files jobs with host: HOST): a script and a systemd
               service + timer each, reporting every run to Steward's passive results API
  install.sh   run on the host as root: fills secrets in from its environment, installs, restarts
and, when the spec says where the bastion is (access.bastion.address, or the AWS blueprint's
pinned address for a vpc bastion), the host lockdown (sshd drop-in, nftables).

The monitoring source is monitoring.subnet when the spec sets it, else (a spec with aws:) the
monitoring host the AWS blueprint pins in HOST's environment, the one its security groups admit.

Secrets are never read: \${NAME} references in the spec stay \${NAME} in the files, and
install.sh requires NAME in its environment on the host. Backup jobs read theirs when they run,
from /etc/steward/backup.env, and the API token from /etc/steward/api-token.

  --spec FILE        the spec (default ${DEFAULT_SPEC})
  --out DIR          where to write (created if missing)
  --steward-url URL  steward serve as HOST reaches it, for backup jobs (default for an AWS spec:
                     https://<the environment's monitoring host>:<monitoring.dashboardPort>)
  --steward-ca FILE  CA certificate on HOST that verifies steward serve's TLS certificate
`;

export async function renderCommand(args: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (err) {
    process.stderr.write(`steward render: ${(err as Error).message}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const [what, host, ...extra] = positionals;
  if (what !== 'host' || host === undefined || extra.length > 0 || values.out === undefined) {
    process.stderr.write(`steward render: expected \`render host HOST --out DIR\`\n\n${HELP}`);
    return 2;
  }
  const stewardUrl = values['steward-url'];
  if (stewardUrl !== undefined && !/^https?:\/\/[^/\s]+/.test(stewardUrl)) {
    process.stderr.write(
      `steward render: --steward-url ${stewardUrl} is not a URL; write e.g. https://monitor.internal:8443\n`,
    );
    return 2;
  }
  const specFile = values.spec ?? DEFAULT_SPEC;
  const result = loadSpec(specFile, { env: markerEnvironment() });
  if (!result.ok) {
    for (const e of result.errors) process.stderr.write(`${formatSpecError(e)}\n`);
    process.stderr.write(`steward render: ${specFile} is invalid; fix it (steward validate ${specFile})\n`);
    return 1;
  }
  let files: ReturnType<typeof renderHost>;
  try {
    files = renderHost({
      deployment: result.deployment,
      spec: result.spec,
      host,
      specFile: path.basename(specFile),
      ...(values['steward-url'] !== undefined ? { stewardUrl: values['steward-url'] } : {}),
      ...(values['steward-ca'] !== undefined ? { stewardCa: values['steward-ca'] } : {}),
    });
  } catch (err) {
    process.stderr.write(`steward render host ${host}: ${(err as Error).message}\n`);
    return 1;
  }
  const out = values.out;
  for (const file of files) {
    const target = path.join(out, file.path);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, file.content);
    chmodSync(target, file.mode);
  }
  const width = Math.max(...files.map((f) => path.join(out, f.path).length));
  const lines = files.map((f) => {
    const written = path.join(out, f.path);
    return f.installTo === undefined ? written : `${written.padEnd(width)}  → ${f.installTo}`;
  });
  if (files.length === 1) {
    // Only install.sh: say so rather than let an operator look for files that were never meant to be.
    process.stdout.write(
      `${lines.join('\n')}\n${host} has no nrpe, snmp or jvm-over-nrpe checks, no lockdown (access.bastion) and no backup jobs of its own: nothing to install.\n`,
    );
    return 0;
  }
  process.stdout.write(`${lines.join('\n')}\nRun ${path.join(out, 'install.sh')} on ${host} as root.\n`);
  return 0;
}

function parse(args: string[]) {
  return parseCommandArgs('render', args, {
    spec: { type: 'string' },
    out: { type: 'string' },
    'steward-url': { type: 'string' },
    'steward-ca': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
}

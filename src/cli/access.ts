import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { resolve } from 'node:path';
import qrcode from 'qrcode-generator';
import { parseDuration } from '../core/duration.ts';
import {
  accessFromSpec,
  addGrant,
  enrollTotp,
  gatewayAuditEntry,
  gatewayConfigFromDeployment,
  gatewayPaths,
  jsonLinesAuditSink,
  listGrants,
  revokeGrants,
  sshConfigFor,
} from '../gateway/index.ts';
import { didYouMean } from '../spec/did-you-mean.ts';
import { formatSpecError, loadSpec } from '../spec/index.ts';
import { openSqliteStore } from '../store/index.ts';
import { DEFAULT_DATA_DIR, DEFAULT_SPEC, parseCommandArgs } from './args.ts';

const HELP = `Usage:
  steward access grant USER ENV --for 2h --reason "INC-123 disk full"
  steward access revoke USER [ENV]
  steward access grants [--all] [--json]
  steward access ssh-config USER [--address HOST]
  steward access enroll USER [--replace]
Options for all: --spec FILE (default ${DEFAULT_SPEC}), --data DIR (the gateway's, default ./${DEFAULT_DATA_DIR})

grant/revoke change what a user may reach through a running \`steward gateway\` at once (no
restart); grants expire on their own. ssh-config prints the user's ~/.ssh/config block. enroll
creates the user's TOTP secret and shows it once (otpauth URI and QR code).
`;

/** Who runs the command, for the audit: the sudo caller first, else the login, else the uid's name. */
function operatorName(): string {
  const fromEnv = process.env.SUDO_USER ?? process.env.USER ?? process.env.LOGNAME;
  if (fromEnv) return fromEnv;
  try {
    return userInfo().username;
  } catch {
    return `uid ${process.getuid?.() ?? '?'}`;
  }
}

export async function accessCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs('access', args, {
    spec: { type: 'string', default: DEFAULT_SPEC },
    data: { type: 'string', default: DEFAULT_DATA_DIR },
    for: { type: 'string' },
    reason: { type: 'string' },
    address: { type: 'string' },
    replace: { type: 'boolean' },
    all: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  const [action, user, environment, ...extra] = positionals;
  if (values.help || !action) {
    process.stdout.write(HELP);
    return values.help ? 0 : 2;
  }
  if (extra.length > 0)
    throw new Error(`unexpected arguments: ${extra.join(' ')} (see: steward access --help)`);
  const dataDir = resolve(values.data);
  const paths = gatewayPaths(dataDir);

  const loaded = loadSpec(resolve(values.spec));
  if (!loaded.ok) {
    for (const e of loaded.errors) process.stderr.write(`${formatSpecError(e)}\n`);
    throw new Error(
      `the spec has ${loaded.errors.length} error(s); fix them first (steward validate ${values.spec})`,
    );
  }
  const access = accessFromSpec(loaded.spec);
  const userNames = access.users.map((u) => u.name);
  const needUser = (): string => {
    if (!user) throw new Error(`name the user: steward access ${action} USER`);
    if (!userNames.includes(user)) {
      throw new Error(
        `no user "${user}" in access.users${didYouMean(user, userNames) ? `: ${didYouMean(user, userNames)}` : ` (users: ${userNames.join(', ') || 'none'})`}`,
      );
    }
    return user;
  };
  const audit = (event: Record<string, unknown>) => {
    const full = { ts: new Date().toISOString(), ...event, by: operatorName() };
    const sink = jsonLinesAuditSink(paths.auditFile);
    sink(full);
    void sink.close();
    const store = openSqliteStore(dataDir);
    try {
      store.appendAudit(gatewayAuditEntry(full));
    } finally {
      store.close();
    }
  };

  switch (action) {
    case 'grant': {
      const name = needUser();
      const environments = loaded.deployment.environments.map((e) => e.name);
      if (!environment)
        throw new Error('name the environment: steward access grant USER ENV --for 2h --reason "..."');
      if (!environments.includes(environment)) {
        throw new Error(
          `no environment "${environment}" in the spec${didYouMean(environment, environments) ? `: ${didYouMean(environment, environments)}` : ` (environments: ${environments.join(', ')})`}`,
        );
      }
      if (!values.for) throw new Error('say for how long: --for 2h (grants always expire)');
      const durationMs = parseDuration(values.for);
      if (durationMs === null || durationMs <= 0)
        throw new Error(`--for "${values.for}" is not a duration; write e.g. 30m, 2h, 1d`);
      if (!values.reason?.trim())
        throw new Error('give a reason: --reason "INC-123 ..." (it goes to the audit log)');
      const grant = addGrant(paths.grantsFile, {
        user: name,
        environment,
        durationMs,
        reason: values.reason,
        grantedBy: operatorName(),
      });
      audit({
        type: 'grant',
        user: name,
        environment,
        expiresAt: new Date(grant.expiresAt).toISOString(),
        reason: grant.reason,
        id: grant.id,
      });
      process.stdout.write(
        `granted ${name} ${environment} until ${new Date(grant.expiresAt).toISOString()} (${grant.reason})\n`,
      );
      return 0;
    }
    case 'revoke': {
      const name = needUser();
      const revoked = revokeGrants(paths.grantsFile, {
        user: name,
        ...(environment ? { environment } : {}),
        revokedBy: operatorName(),
      });
      for (const g of revoked) audit({ type: 'revoke', user: name, environment: g.environment, id: g.id });
      process.stdout.write(
        revoked.length === 0
          ? `${name} has no active grants${environment ? ` for ${environment}` : ''}\n`
          : `revoked ${revoked.map((g) => g.environment).join(', ')} for ${name}; open sessions through them are cut within seconds\n`,
      );
      return 0;
    }
    case 'grants': {
      const grants = listGrants(paths.grantsFile).filter((g) => values.all || g.active);
      if (values.json) {
        process.stdout.write(`${JSON.stringify(grants)}\n`);
        return 0;
      }
      if (grants.length === 0) {
        process.stdout.write(values.all ? 'no grants\n' : 'no active grants (--all shows past ones)\n');
        return 0;
      }
      for (const g of grants) {
        const state = g.revokedAt !== undefined ? 'revoked' : g.active ? 'active' : 'expired';
        process.stdout.write(
          `${g.user}\t${g.environment}\t${state}\tuntil ${new Date(g.expiresAt).toISOString()}\t${g.reason}\t(by ${g.grantedBy ?? '-'})\n`,
        );
      }
      return 0;
    }
    case 'ssh-config': {
      const name = needUser();
      const address = values.address ?? access.bastion.address;
      if (!address) {
        throw new Error(
          'the bastion has no address in the spec: add access.bastion.address, or pass --address HOST',
        );
      }
      const { config } = gatewayConfigFromDeployment(loaded.deployment, access, { dataDir, audit: () => {} });
      let hostPublicKey: string | undefined;
      try {
        hostPublicKey = readFileSync(`${paths.hostKeyFile}.pub`, 'utf8').trim();
      } catch {
        // the gateway has not started yet: no key to pin
      }
      process.stdout.write(
        sshConfigFor(name, config, address.split('/')[0]!, {
          ...(hostPublicKey ? { hostPublicKey } : {}),
          hostPrefix: '',
        }),
      );
      return 0;
    }
    case 'enroll': {
      const name = needUser();
      const { uri, file } = enrollTotp(dataDir, name, {
        issuer: `Steward ${loaded.deployment.name}`,
        replace: values.replace === true,
      });
      audit({ type: 'enroll', user: name, replaced: values.replace === true });
      process.stdout.write(
        `Enrolled ${name} (secret in ${file}). Scan this once in an authenticator app; it is not shown again:\n\n${terminalQr(uri)}\n${uri}\n`,
      );
      return 0;
    }
    default:
      throw new Error(`unknown action "${action}": use grant, revoke, grants, ssh-config or enroll`);
  }
}

/** A QR code in the terminal: two modules per character with half blocks, dark on light. */
export function terminalQr(text: string): string {
  const qr = qrcode(0, 'L');
  qr.addData(text);
  qr.make();
  const n = qr.getModuleCount();
  const dark = (r: number, c: number) => r >= 0 && c >= 0 && r < n && c < n && qr.isDark(r, c);
  const lines: string[] = [];
  for (let r = -2; r < n + 2; r += 2) {
    let line = '';
    for (let c = -2; c < n + 2; c++) {
      const top = dark(r, c);
      const bottom = dark(r + 1, c);
      // light modules are drawn (the terminal background is usually dark), so full block = light
      line += top ? (bottom ? ' ' : '▄') : bottom ? '▀' : '█';
    }
    lines.push(line);
  }
  return `${lines.join('\n')}\n`;
}

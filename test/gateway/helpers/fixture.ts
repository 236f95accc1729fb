// A gateway in front of a real sshd, with users, keys, TOTP secrets and an ssh client config per
// user, all in one temporary directory.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { base32Decode } from '../../../src/auth/totp.ts';
import type {
  GatewayConfig,
  GatewayLimits,
  GatewayTarget,
  RunningGateway,
} from '../../../src/gateway/index.ts';
import {
  generateTotpSecret,
  grantFileSource,
  jsonLinesAuditSink,
  sshConfigFor,
  startGateway,
  totpCode,
} from '../../../src/gateway/index.ts';
import { silentLogger } from '../../../src/log/index.ts';
import { generateKey, type KeyPair, type RunResult, runOpenSsh, writeAskpass } from './openssh.ts';

export interface FixtureUser {
  name: string;
  environments: string[];
  key: KeyPair;
  secret: string;
  /** the OpenSSH client config for this user: sshConfigFor's block plus test-only defaults */
  configFile: string;
  codeFile: string;
  askpass: string;
}

export interface Fixture {
  dir: string;
  gateway: RunningGateway;
  events: Record<string, unknown>[];
  /** the grants file the gateway reads (src/gateway/grant-file.ts), as `steward access grant` writes it */
  grantsFile: string;
  auditFile: string;
  user(name: string): FixtureUser;
  /** writes the code the user's askpass will answer with: the current one unless given */
  setCode(user: FixtureUser, code?: string): void;
  ssh(user: FixtureUser, args: string[], opts?: { input?: string }): Promise<RunResult>;
  /** audit events of a type matching every field of `match` */
  find(type: string, match?: Record<string, unknown>): Record<string, unknown>[];
  close(): Promise<void>;
}

export async function startFixture(opts: {
  users: { name: string; environments: string[]; totp?: boolean }[];
  targets: GatewayTarget[];
  limits?: Partial<GatewayLimits>;
  hostKeyFile?: string;
}): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'steward-gw-'));
  const grantsFile = join(dir, 'gateway', 'grants.json');
  const events: Record<string, unknown>[] = [];
  const auditFile = join(dir, 'audit', 'gateway.jsonl');
  const sink = jsonLinesAuditSink(auditFile);
  const users = opts.users.map((u) => ({
    ...u,
    key: generateKey(dir, `key-${u.name}`),
    secret: generateTotpSecret(),
  }));
  const cfg: GatewayConfig = {
    listen: { host: '127.0.0.1', port: 0 },
    operatorNetworks: ['127.0.0.1/32'],
    hostKeyFile: opts.hostKeyFile ?? join(dir, 'gateway', 'host_ed25519'),
    users: users.map((u) => ({
      name: u.name,
      keys: [u.key.publicLine],
      environments: u.environments,
      ...(u.totp === false ? {} : { totpSecret: u.secret }),
    })),
    targets: opts.targets,
    grants: grantFileSource(grantsFile),
    audit: (e) => {
      events.push(e);
      sink(e);
    },
    limits: { recheckMs: 200, ...opts.limits },
  };
  let gateway: RunningGateway;
  try {
    gateway = await startGateway(cfg, silentLogger());
  } catch (err) {
    await sink.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const fixtureUsers = new Map<string, FixtureUser>();
  for (const u of users) {
    const codeFile = join(dir, `code-${u.name}`);
    const configFile = join(dir, `ssh_config-${u.name}`);
    const block = sshConfigFor(
      u.name,
      { ...cfg, listen: { host: '127.0.0.1', port: gateway.port } },
      '127.0.0.1',
      {
        controlPath: join(dir, `cm-${u.name}-%C`),
        hostPublicKey: gateway.hostKey.publicLine,
      },
    );
    writeFileSync(configFile, `${block}\n${clientDefaults(u.key.privatePath)}`);
    fixtureUsers.set(u.name, {
      name: u.name,
      environments: u.environments,
      key: u.key,
      secret: u.secret,
      configFile,
      codeFile,
      askpass: writeAskpass(dir, u.name, codeFile),
    });
  }
  const fixture: Fixture = {
    dir,
    gateway,
    events,
    grantsFile,
    auditFile,
    user(name) {
      const u = fixtureUsers.get(name);
      if (!u) throw new Error(`no fixture user ${name}`);
      return u;
    },
    setCode(user, code) {
      writeFileSync(user.codeFile, `${code ?? totpCode(base32Decode(user.secret), Date.now())}\n`);
    },
    ssh(user, args, o = {}) {
      return runOpenSsh('ssh', ['-F', user.configFile, ...args], {
        askpass: user.askpass,
        ...(o.input !== undefined ? { input: o.input } : {}),
      });
    },
    find(type, match = {}) {
      return events.filter((e) => e.type === type && Object.entries(match).every(([k, v]) => e[k] === v));
    },
    async close() {
      // Stop every ControlPersist master this fixture's users may have left behind.
      for (const u of fixtureUsers.values()) {
        await runOpenSsh('ssh', ['-F', u.configFile, '-O', 'exit', 'steward-bastion'], { timeoutMs: 5_000 });
      }
      await gateway.close();
      await sink.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return fixture;
}

/** Test-only client settings, after the generated block so that its values win (first match wins). */
function clientDefaults(identity: string): string {
  return [
    'Host *',
    '  User root',
    `  IdentityFile ${identity}`,
    '  IdentitiesOnly yes',
    '  UserKnownHostsFile /dev/null',
    '  StrictHostKeyChecking no',
    '  ConnectTimeout 10',
    '  NumberOfPasswordPrompts 1',
    '  LogLevel ERROR',
    '',
  ].join('\n');
}

export function readAuditFile(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A wrong code: none of the codes the gateway would accept right now. */
export function wrongCode(secret: string): string {
  const s = base32Decode(secret);
  const t = Date.now();
  const good = new Set([-1, 0, 1].map((d) => totpCode(s, t + d * 30_000)));
  for (let n = 0; ; n++) {
    const candidate = String((123456 + n * 7919) % 1_000_000).padStart(6, '0');
    if (!good.has(candidate)) return candidate;
  }
}

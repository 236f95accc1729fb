// node bench/gateway.ts [--size-mib=256] [--setup-runs=10] [--sessions=500]
//
// The Steward gateway against OpenSSH's sshd as the jump host, both in front of the same target
// sshd on loopback: throughput of an scp upload and an sftp download of one file, connection setup
// time of `ssh -J target true`, and memory with N concurrent forwarded sessions held open. The
// gateway runs in its own process (this file with --gateway-child) so its memory is its own.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import ssh2 from 'ssh2';
import { base32Decode } from '../src/auth/totp.ts';
import type { GatewayConfig, GatewayStats } from '../src/gateway/index.ts';
import { generateTotpSecret, sshConfigFor, startGateway, totpCode } from '../src/gateway/index.ts';
import { silentLogger } from '../src/log/index.ts';
import {
  freePort,
  generateKey,
  type KeyPair,
  runOpenSsh,
  type Sshd,
  startSshd,
  stopAll,
  writeAskpass,
} from '../test/gateway/helpers/openssh.ts';

const TARGET = '127.0.0.3';

export interface GatewayBenchOptions {
  sizeMiB?: number;
  setupRuns?: number;
  sessions?: number;
  log?: (msg: string) => void;
}

export interface JumpResult {
  uploadMiBps: number;
  downloadMiBps: number;
  setupMs: { median: number; p90: number; runs: number[] };
  /** held sessions: time to open them all, memory (PSS) of the jump with them open, per session */
  sessions: { count: number; openMs: number; pssMiB: number; pssPerSessionKiB: number };
}

export interface GatewayBenchResult {
  date: string;
  sizeMiB: number;
  steward: JumpResult;
  openssh: JumpResult;
  ratios: { upload: number; download: number; setup: number; memoryPerSession: number };
  notes: string[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/**
 * Proportional set size (PSS) of a process and all its descendants: OpenSSH's sshd forks per
 * connection, and summing RSS would count the shared libraries once per process.
 */
function treePssKiB(rootPid: number): number {
  const parent = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      parent.set(Number(entry), Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]));
    } catch {
      // the process ended while we looked
    }
  }
  let total = 0;
  for (const pid of parent.keys()) {
    let inTree = false;
    for (let p: number | undefined = pid; p !== undefined && p > 0; p = parent.get(p)) {
      if (p === rootPid) {
        inTree = true;
        break;
      }
    }
    if (!inTree) continue;
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      total += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return total;
}

function writeRandomFile(path: string, mib: number): void {
  const fd = openSync(path, 'w');
  try {
    const chunk = randomBytes(1024 * 1024);
    for (let i = 0; i < mib; i++) {
      chunk.writeUInt32BE(i, 0); // not one repeated MiB, in case anything compresses
      writeSync(fd, chunk);
    }
  } finally {
    closeSync(fd);
  }
}

/** The gateway in a child process: reads its config from a file, answers "stats" on stdin. */
async function gatewayChild(configFile: string): Promise<void> {
  const cfg = JSON.parse(readFileSync(configFile, 'utf8')) as Omit<GatewayConfig, 'audit'>;
  let events = 0;
  const gateway = await startGateway({ ...cfg, audit: () => void events++ }, silentLogger());
  process.stdout.write(`${JSON.stringify({ port: gateway.port })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'stats') {
      const m = process.memoryUsage();
      process.stdout.write(
        `${JSON.stringify({ rss: m.rss, heapUsed: m.heapUsed, events, stats: gateway.stats() })}\n`,
      );
    }
  }
  await gateway.close();
}

interface ChildGateway {
  port: number;
  pid: number;
  stats(): Promise<{ rss: number; heapUsed: number; stats: GatewayStats }>;
  stop(): void;
}

async function spawnGateway(configFile: string): Promise<ChildGateway> {
  const child: ChildProcess = spawn(process.execPath, [import.meta.filename, '--gateway-child', configFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  if (first.done) throw new Error('the gateway child exited before listening');
  const { port } = JSON.parse(first.value) as { port: number };
  return {
    port,
    pid: child.pid!,
    async stats() {
      child.stdin!.write('stats\n');
      const next = await lines.next();
      return JSON.parse(next.value as string);
    },
    stop() {
      child.kill('SIGKILL');
    },
  };
}

/** Holds `count` forwarded sessions open through a jump host, as ssh2 clients in this process. */
async function holdSessions(
  count: number,
  connectOpts: (i: number) => ssh2.ConnectConfig,
  answerTotp: ((i: number) => string) | undefined,
  echoPort: number,
): Promise<{ clients: ssh2.Client[]; openMs: number }> {
  const started = performance.now();
  const clients: ssh2.Client[] = [];
  const open = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const client = new ssh2.Client();
      clients.push(client);
      client.on('keyboard-interactive', (_name, _instr, _lang, _prompts, finish) => finish([answerTotp!(i)]));
      client.on('error', reject);
      client.on('ready', () => {
        client.forwardOut('127.0.0.1', 0, TARGET, echoPort, (err, stream) => {
          if (err) return reject(err);
          stream.once('data', () => resolve());
          stream.write('hold');
        });
      });
      client.connect({ ...connectOpts(i), tryKeyboard: answerTotp !== undefined, readyTimeout: 60_000 });
    });
  // In waves, as operators would arrive, without tripping listen backlogs.
  for (let i = 0; i < count; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, count - i) }, (_, k) => open(i + k)));
  }
  return { clients, openMs: performance.now() - started };
}

export async function benchGateway(opts: GatewayBenchOptions = {}): Promise<GatewayBenchResult> {
  const sizeMiB = opts.sizeMiB ?? 256;
  const setupRuns = opts.setupRuns ?? 10;
  const sessions = opts.sessions ?? 500;
  const log = opts.log ?? ((m: string) => process.stderr.write(`[bench gateway] ${m}\n`));
  const dir = mkdtempSync(join(tmpdir(), 'steward-gw-bench-'));
  let target: Sshd | undefined;
  let jump: Sshd | undefined;
  let gateway: ChildGateway | undefined;
  const echo = createServer((s) => s.pipe(s));
  try {
    const key: KeyPair = generateKey(dir, 'operator');
    const echoPort = await freePort(TARGET);
    await new Promise<void>((r) => echo.listen({ port: echoPort, host: TARGET, backlog: 1024 }, r));
    target = await startSshd(join(dir, 'target'), [TARGET], [key.publicLine]);
    // OpenSSH as the jump host: a second sshd, key login (it has no TOTP without PAM). MaxStartups
    // raised so that the held-sessions waves are not dropped as a suspected flood.
    jump = await startSshd(join(dir, 'jump'), ['127.0.0.1'], [key.publicLine], undefined, [
      'MaxStartups 1000',
    ]);

    // Users: one for throughput, one per setup run and one per held session, since a TOTP code
    // logs in once only and all of these log in within the same 30 s.
    const userNames = ['bench-0', 'bench-1', ...Array.from({ length: setupRuns }, (_, i) => `setup-${i}`)];
    for (let i = 0; i < sessions; i++) userNames.push(`hold-${i}`);
    const secrets = new Map(userNames.map((n) => [n, generateTotpSecret()]));
    const targets = [
      { host: 'target', address: TARGET, environment: 'bench', sshPort: target.port, extraPorts: [echoPort] },
    ];
    const gatewayConfig: Omit<GatewayConfig, 'audit'> = {
      listen: { host: '127.0.0.1', port: 0 },
      operatorNetworks: ['127.0.0.1/32'],
      hostKeyFile: join(dir, 'gateway', 'host_ed25519'),
      users: userNames.map((name) => ({
        name,
        keys: [key.publicLine],
        totpSecret: secrets.get(name)!,
        environments: ['bench'],
      })),
      targets,
      limits: { connectionsPerMinute: 100_000, source: { maxFailures: 1_000, windowMs: 60_000, banMs: 1 } },
    };
    const gatewayConfigFile = join(dir, 'gateway.json');
    writeFileSync(gatewayConfigFile, JSON.stringify(gatewayConfig));
    gateway = await spawnGateway(gatewayConfigFile);
    log(
      `gateway pid ${gateway.pid} on ${gateway.port}, target sshd ${target.port}, OpenSSH jump ${jump.port}`,
    );

    const defaults = (identity: string) =>
      [
        'Host *',
        '  User root',
        `  IdentityFile ${identity}`,
        '  IdentitiesOnly yes',
        '  UserKnownHostsFile /dev/null',
        '  StrictHostKeyChecking no',
        '  LogLevel ERROR',
        '',
      ].join('\n');
    const codeFor = (name: string) => totpCode(base32Decode(secrets.get(name)!), Date.now());
    const stewardConfig = (user: string, multiplex: boolean) => {
      const file = join(dir, `ssh_config-${user}`);
      const block = sshConfigFor(
        user,
        { ...gatewayConfig, listen: { host: '127.0.0.1', port: gateway!.port } },
        '127.0.0.1',
        { multiplex, controlPath: join(dir, 'cm-%C') },
      );
      writeFileSync(file, `${block}\n${defaults(key.privatePath)}`);
      const codeFile = join(dir, `code-${user}`);
      writeFileSync(codeFile, `${codeFor(user)}\n`);
      return { file, askpass: writeAskpass(dir, user, codeFile) };
    };
    // The OpenSSH jump gets the same client settings (ciphers included) for a like-for-like run.
    const opensshConfig = join(dir, 'ssh_config-openssh');
    writeFileSync(
      opensshConfig,
      [
        'Host steward-bastion',
        '  HostName 127.0.0.1',
        `  Port ${jump.port}`,
        '  User root',
        '  Ciphers aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com',
        '',
        'Host target',
        `  HostName ${TARGET}`,
        `  Port ${target.port}`,
        '  ProxyJump steward-bastion',
        '',
        defaults(key.privatePath),
      ].join('\n'),
    );

    const file = join(dir, 'payload.bin');
    log(`writing a ${sizeMiB} MiB file`);
    writeRandomFile(file, sizeMiB);
    const remote = join(dir, 'payload-remote.bin');
    const back = join(dir, 'payload-back.bin');

    const copyThroughput = async (config: string, askpass?: string) => {
      const up0 = performance.now();
      const up = await runOpenSsh('scp', ['-F', config, '-q', file, `target:${remote}`], {
        ...(askpass ? { askpass } : {}),
        timeoutMs: 600_000,
      });
      const upS = (performance.now() - up0) / 1000;
      if (up.code !== 0) throw new Error(`scp upload failed: ${up.stderr}`);
      const batch = join(dir, 'sftp-batch');
      writeFileSync(batch, `get ${remote} ${back}\n`);
      const down0 = performance.now();
      const down = await runOpenSsh('sftp', ['-F', config, '-q', '-b', batch, 'target'], {
        ...(askpass ? { askpass } : {}),
        timeoutMs: 600_000,
      });
      const downS = (performance.now() - down0) / 1000;
      if (down.code !== 0) throw new Error(`sftp download failed: ${down.stderr}`);
      rmSync(remote, { force: true });
      rmSync(back, { force: true });
      return { uploadMiBps: round(sizeMiB / upS), downloadMiBps: round(sizeMiB / downS) };
    };

    const setupTimes = async (configFor: (i: number) => { file: string; askpass?: string }) => {
      const runs: number[] = [];
      for (let i = 0; i < setupRuns; i++) {
        const { file: config, askpass } = configFor(i);
        const t0 = performance.now();
        const r = await runOpenSsh('ssh', ['-F', config, 'target', 'true'], askpass ? { askpass } : {});
        if (r.code !== 0) throw new Error(`ssh -J failed: ${r.stderr}`);
        runs.push(round(performance.now() - t0));
      }
      const sorted = [...runs].sort((a, b) => a - b);
      return { median: percentile(sorted, 50), p90: percentile(sorted, 90), runs };
    };

    // Throughput, alternating the two jumps twice and keeping each one's best run, so that page
    // cache warm-up and neighbours on a small machine do not decide the comparison.
    const best = (a: { uploadMiBps: number; downloadMiBps: number }, b: typeof a) => ({
      uploadMiBps: Math.max(a.uploadMiBps, b.uploadMiBps),
      downloadMiBps: Math.max(a.downloadMiBps, b.downloadMiBps),
    });
    let stewardCopy = { uploadMiBps: 0, downloadMiBps: 0 };
    let opensshCopy = { uploadMiBps: 0, downloadMiBps: 0 };
    for (let round = 0; round < 2; round++) {
      // Steward with its generated config (multiplexed: one TOTP login serves both copies).
      const bench = stewardConfig(`bench-${round}`, true);
      const s = await copyThroughput(bench.file, bench.askpass);
      await runOpenSsh('ssh', ['-F', bench.file, '-O', 'exit', 'steward-bastion']);
      const o = await copyThroughput(opensshConfig);
      log(`round ${round}: steward ${JSON.stringify(s)}, openssh ${JSON.stringify(o)}`);
      stewardCopy = best(stewardCopy, s);
      opensshCopy = best(opensshCopy, o);
    }
    log(`connection setup, ${setupRuns} runs each (no multiplexing: full key + TOTP login each time)`);
    const stewardSetup = await setupTimes((i) => stewardConfig(`setup-${i}`, false));
    const opensshSetup = await setupTimes(() => ({ file: opensshConfig }));
    log(`setup median steward ${stewardSetup.median} ms, openssh ${opensshSetup.median} ms`);

    log(`${sessions} concurrent sessions through each`);
    const privateKey = readFileSync(key.privatePath);
    const idleGateway = treePssKiB(gateway.pid) * 1024;
    const stewardHeld = await holdSessions(
      sessions,
      (i) => ({ host: '127.0.0.1', port: gateway!.port, username: `hold-${i}`, privateKey }),
      (i) => codeFor(`hold-${i}`),
      echoPort,
    );
    const stewardRss = treePssKiB(gateway.pid) * 1024;
    const loaded = await gateway.stats();
    if (loaded.stats.forwardsOpen !== sessions)
      throw new Error(`only ${loaded.stats.forwardsOpen} forwards open`);
    for (const c of stewardHeld.clients) c.end();
    const idleJump = treePssKiB(jump.pid) * 1024;
    const opensshHeld = await holdSessions(
      sessions,
      () => ({ host: '127.0.0.1', port: jump!.port, username: 'root', privateKey }),
      undefined,
      echoPort,
    );
    const opensshRss = treePssKiB(jump.pid) * 1024;
    for (const c of opensshHeld.clients) c.end();
    const sessionStats = (openMs: number, rss: number, idle: number) => ({
      count: sessions,
      openMs: round(openMs),
      pssMiB: round(rss / 2 ** 20),
      pssPerSessionKiB: round((rss - idle) / 1024 / sessions),
    });
    const steward: JumpResult = {
      ...stewardCopy,
      setupMs: stewardSetup,
      sessions: sessionStats(stewardHeld.openMs, stewardRss, idleGateway),
    };
    const openssh: JumpResult = {
      ...opensshCopy,
      setupMs: opensshSetup,
      sessions: sessionStats(opensshHeld.openMs, opensshRss, idleJump),
    };
    log(`sessions: steward ${JSON.stringify(steward.sessions)}, openssh ${JSON.stringify(openssh.sessions)}`);
    return {
      date: new Date().toISOString(),
      sizeMiB,
      steward,
      openssh,
      ratios: {
        upload: round(steward.uploadMiBps / openssh.uploadMiBps, 2),
        download: round(steward.downloadMiBps / openssh.downloadMiBps, 2),
        setup: round(steward.setupMs.median / openssh.setupMs.median, 2),
        memoryPerSession: round(steward.sessions.pssPerSessionKiB / openssh.sessions.pssPerSessionKiB, 4),
      },
      notes: [
        'Both jumps serve the same OpenSSH client config; the outer leg negotiates aes128-gcm.',
        'Steward setup includes the TOTP round trip (askpass); the OpenSSH jump logs in by key only.',
        "Memory is PSS of each jump's whole process tree (OpenSSH's sshd forks per connection).",
        'Throughput: best of two alternating rounds per jump, wall time of the scp/sftp command.',
        `ssh2 native crypto binding: ${ssh2BindingLoaded() ? 'loaded' : 'not loaded (chacha20-poly1305 runs on WASM)'}.`,
      ],
    };
  } finally {
    gateway?.stop();
    target?.stop();
    jump?.stop();
    echo.close();
    stopAll();
    rmSync(dir, { recursive: true, force: true });
  }
}

function ssh2BindingLoaded(): boolean {
  try {
    const crypto = createRequire(import.meta.url)('ssh2/lib/protocol/crypto.js') as {
      bindingAvailable?: boolean;
    };
    return Boolean(crypto.bindingAvailable);
  } catch {
    return false;
  }
}

if (import.meta.main) {
  const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  if (process.argv[2] === '--gateway-child') {
    await gatewayChild(process.argv[3]!);
  } else {
    const result = await benchGateway({
      sizeMiB: Number(arg('size-mib') ?? 256),
      setupRuns: Number(arg('setup-runs') ?? 10),
      sessions: Number(arg('sessions') ?? 500),
    });
    const out = join(import.meta.dirname, 'results');
    mkdirSync(out, { recursive: true });
    const file = join(out, `gateway-${result.date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\nwritten to ${file}\n`);
  }
}

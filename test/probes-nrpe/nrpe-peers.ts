/**
 * Real and scripted NRPE peers for the tests: the Debian nrpe daemon run in the foreground on a
 * free loopback port with a config written to a temp dir, check_nrpe run as Nagios runs it, and
 * small node:net daemons that misbehave on purpose (corrupt CRC, silence, other versions).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CheckResult } from '../../src/core/index.ts';
import { encodeResponse } from '../../src/probes/nrpe/index.ts';
import { parsePluginOutput } from '../../src/probes/plugin/parse-plugin-output.ts';

export const NRPE_DAEMON = '/usr/sbin/nrpe';
export const CHECK_NRPE = '/usr/lib/nagios/plugins/check_nrpe';
export const PLUGINS = '/usr/lib/nagios/plugins';

/** A TCP port nobody listens on right now (bound to port 0, then released). */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** nrpe refuses to run as root: as root it must drop to a user, nagios when the package made one. */
function privilegeLines(): string[] {
  if (process.getuid?.() !== 0) return [];
  const passwd = readFileSync('/etc/passwd', 'utf8');
  return /^nagios:/m.test(passwd)
    ? ['nrpe_user=nagios', 'nrpe_group=nagios']
    : ['nrpe_user=nobody', 'nrpe_group=nogroup'];
}

export interface NrpeDaemon {
  port: number;
  dir: string;
  /** The daemon's log (log_file), for diagnosing a failed assertion. */
  log(): string;
  stop(): Promise<void>;
}

export interface NrpeDaemonOptions {
  /** command[name]=command line */
  commands: Record<string, string>;
  /** false runs `nrpe -n` (ssl disabled); true is nrpe's default, anonymous DH. */
  ssl: boolean;
  dontBlameNrpe?: boolean;
  /** Extra nrpe.cfg lines (certificates, ...). */
  extra?: string[];
}

const running = new Set<ChildProcess>();
// A test that dies between start and stop must not leave a daemon behind.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts the real nrpe in the foreground and waits until it accepts connections. */
export async function startNrpe(options: NrpeDaemonOptions): Promise<NrpeDaemon> {
  if (!existsSync(NRPE_DAEMON))
    throw new Error(`${NRPE_DAEMON} is missing: apt-get install nagios-nrpe-server`);
  const port = await freeTcpPort();
  const dir = mkdtempSync(join(tmpdir(), 'steward-nrpe-'));
  const config = [
    'server_address=127.0.0.1',
    `server_port=${port}`,
    'allowed_hosts=127.0.0.1',
    `pid_file=${join(dir, 'nrpe.pid')}`,
    `log_file=${join(dir, 'nrpe.log')}`,
    'debug=1',
    `dont_blame_nrpe=${options.dontBlameNrpe ? 1 : 0}`,
    'command_timeout=10',
    'connection_timeout=30',
    ...privilegeLines(),
    ...(options.extra ?? []),
    ...Object.entries(options.commands).map(([name, line]) => `command[${name}]=${line}`),
  ];
  const configFile = join(dir, 'nrpe.cfg');
  writeFileSync(configFile, `${config.join('\n')}\n`);
  const args = ['-c', configFile, '-f', ...(options.ssl ? [] : ['-n'])];
  const child = spawn(NRPE_DAEMON, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const log = (): string => {
    try {
      return readFileSync(join(dir, 'nrpe.log'), 'utf8');
    } catch {
      return '';
    }
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
    running.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) break;
    if (await canConnect(port)) return { port, dir, log, stop };
    await new Promise((r) => setTimeout(r, 30));
  }
  const why = `${stderr}\n${log()}`;
  await stop();
  throw new Error(`nrpe did not start on 127.0.0.1:${port}: ${why}`);
}

export interface CheckNrpeRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs the real check_nrpe, as Nagios would: exit code and stdout are the result. */
export function runCheckNrpe(args: string[]): Promise<CheckNrpeRun> {
  return new Promise((resolve) => {
    execFile(CHECK_NRPE, args, { timeout: 20_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 3) : 0;
      resolve({ exitCode: code, stdout, stderr });
    });
  });
}

/** What Nagios makes of a check_nrpe run: the same shape as our result, for deepEqual. */
export function asNagiosSees(
  run: CheckNrpeRun,
): Pick<CheckResult, 'state' | 'output' | 'longOutput' | 'perfdata'> {
  const parsed = parsePluginOutput(run.stdout);
  return {
    state: run.exitCode,
    output: parsed.output,
    longOutput: parsed.longOutput,
    perfdata: parsed.perfdata,
  };
}

export function comparable(
  result: CheckResult,
): Pick<CheckResult, 'state' | 'output' | 'longOutput' | 'perfdata'> {
  return {
    state: result.state,
    output: result.output,
    longOutput: result.longOutput,
    perfdata: result.perfdata,
  };
}

export interface ReceivedQuery {
  version: number;
  query: string;
  /** The whole packet as received. */
  raw: Buffer;
}

/** How a scripted daemon answers one query: bytes to send (then close), or 'silence', or 'close'. */
export type ScriptedAnswer = Buffer | 'silence' | 'close';

export interface ScriptedDaemon {
  port: number;
  queries: ReceivedQuery[];
  stop(): Promise<void>;
}

function readQuery(socket: Socket, onQuery: (q: ReceivedQuery) => void): void {
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length < 16) return;
    const version = buffered.readInt16BE(0);
    const total = version === 4 ? 16 + buffered.readInt32BE(12) : 1036;
    if (buffered.length < total) return;
    const start = version === 4 ? 16 : 10;
    const nul = buffered.indexOf(0, start);
    onQuery({
      version,
      query: buffered.toString('utf8', start, nul < 0 ? total : nul),
      raw: buffered.subarray(0, total),
    });
    buffered = Buffer.alloc(0);
  });
}

/**
 * A plain-TCP daemon that reads one query per connection (v2 or v4 framing) and answers as
 * `answer` says — to play what no healthy nrpe does: corrupt CRCs, silence, other versions.
 */
export function startScriptedDaemon(answer: (q: ReceivedQuery) => ScriptedAnswer): Promise<ScriptedDaemon> {
  const queries: ReceivedQuery[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    readQuery(socket, (q) => {
      queries.push(q);
      const a = answer(q);
      if (a === 'close') socket.destroy();
      else if (a !== 'silence') socket.end(a);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        port,
        queries,
        stop: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A response like nrpe's, with one byte of the output flipped after the CRC was computed. */
export function corruptedResponse(version: 2 | 4, code: number, output: string): Buffer {
  const packet = encodeResponse(version, code, output);
  const at = version === 4 ? 16 : 10;
  packet[at] = (packet[at] ?? 0) ^ 0x20;
  return packet;
}

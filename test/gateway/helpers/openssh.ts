// Real OpenSSH peers for the gateway tests: Debian's sshd as a target host, ssh/scp/sftp as the
// operator's client. Every process started here is tracked and killed by `stopAll`.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';
export const SFTP_SERVER = '/usr/lib/openssh/sftp-server';

const started = new Set<ChildProcess>();

export function stopAll(): void {
  for (const child of started) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
  started.clear();
}

/** A port nobody listens on right now at `host`. */
export async function freePort(host = '127.0.0.1'): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface KeyPair {
  privatePath: string;
  publicLine: string;
}

export function generateKey(dir: string, name: string): KeyPair {
  const privatePath = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', privatePath]);
  return { privatePath, publicLine: readFileSync(`${privatePath}.pub`, 'utf8').trim() };
}

async function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host, port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface Sshd {
  port: number;
  /** the listening sshd (it forks a process per connection under this one) */
  pid: number;
  stderr: () => string;
  stop(): void;
}

/**
 * Debian's sshd in the foreground on `addresses` (all on one port), root login by key only, its own
 * host key, authorized keys and pid file in `dir`.
 */
export async function startSshd(
  dir: string,
  addresses: string[],
  authorizedKeys: string[],
  chosenPort?: number,
  extraConfig: string[] = [],
): Promise<Sshd> {
  mkdirSync(dir, { recursive: true });
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation directory
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_ed25519')]);
  writeFileSync(join(dir, 'authorized_keys'), `${authorizedKeys.join('\n')}\n`, { mode: 0o600 });
  const port = chosenPort ?? (await freePort(addresses[0]));
  const config = [
    `Port ${port}`,
    ...addresses.map((a) => `ListenAddress ${a}`),
    `HostKey ${join(dir, 'host_ed25519')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'UsePAM no',
    'StrictModes no',
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    `Subsystem sftp ${SFTP_SERVER}`,
    'LogLevel ERROR',
    ...extraConfig,
  ];
  const file = join(dir, 'sshd_config');
  writeFileSync(file, `${config.join('\n')}\n`);
  const child = spawn(SSHD, ['-D', '-e', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  started.add(child);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  try {
    for (const address of addresses) await waitForPort(address, port, 5_000);
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`sshd did not start: ${(err as Error).message}\n${stderr}`);
  }
  return {
    port,
    pid: child.pid!,
    stderr: () => stderr,
    stop() {
      child.kill('SIGKILL');
      started.delete(child);
    },
  };
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs an OpenSSH client program. Keyboard-interactive prompts (the TOTP) are answered by
 * `askpass`, which OpenSSH runs because SSH_ASKPASS_REQUIRE=force. Resolves on exit even if a
 * ControlPersist master it forked keeps the pipes open.
 */
export function runOpenSsh(
  program: 'ssh' | 'scp' | 'sftp' | 'ssh-keyscan',
  args: string[],
  opts: { askpass?: string; input?: string; timeoutMs?: number } = {},
): Promise<RunResult> {
  const env = { ...process.env, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' } as NodeJS.ProcessEnv;
  if (opts.askpass) env.SSH_ASKPASS = opts.askpass;
  else env.SSH_ASKPASS = '/bin/false';
  const child = spawn(program, args, {
    env,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    detached: false,
  });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  if (opts.input !== undefined) child.stdin?.end(opts.input);
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 20_000);
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      started.delete(child);
      resolve({ code: child.exitCode, stdout, stderr });
    };
    child.once('close', finish);
    child.once('exit', () => setTimeout(finish, 300));
  });
}

/** An SSH_ASKPASS program that answers the TOTP prompt with whatever code the test put in `codeFile`. */
export function writeAskpass(dir: string, name: string, codeFile: string): string {
  const path = join(dir, `askpass-${name}.sh`);
  writeFileSync(
    path,
    `#!/bin/sh\ncase "$1" in\n  *Verification*) cat '${codeFile}' ;;\n  *) echo "unexpected prompt: $1" >&2; exit 1 ;;\nesac\n`,
  );
  chmodSync(path, 0o755);
  return path;
}

/** Polls until `pick` finds something, for audit events that land after the client has exited. */
export async function waitFor<T>(pick: () => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = pick();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

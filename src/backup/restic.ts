/**
 * Drives the restic binary: every command gets the repository and password through its
 * environment (never argv, never logs), JSON output where restic has it, and errors that say what
 * happened and what to do. A lock left by a dead process is removed (`restic unlock` removes only
 * stale locks) and the command retried once.
 */
import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

export interface ResticTarget {
  /** Repository name in the spec, for messages. */
  name: string;
  /** restic's repository URL (path, s3:, sftp:, rest:). */
  repository: string;
  password: string;
  limitUploadKiB?: number;
  limitDownloadKiB?: number;
  /** Stops every restic this target runs (SIGINT: restic removes its lock and saves no snapshot). */
  signal?: AbortSignal;
  /** PEM file restic verifies the server's certificate with. */
  caCert?: string;
  /** Extended options, passed as -o key=value. */
  options?: Record<string, string>;
}

export type ResticFailure =
  | 'wrong-password'
  | 'no-repository'
  | 'access-denied'
  | 'locked'
  | 'failed'
  | 'missing-restic';

export class ResticError extends Error {
  readonly failure: ResticFailure;
  readonly exitCode: number | null;
  constructor(message: string, failure: ResticFailure, exitCode: number | null) {
    super(message);
    this.failure = failure;
    this.exitCode = exitCode;
  }
}

export interface ResticRun {
  stdout: string;
  stderr: string;
  code: number;
}

export interface ResticOptions {
  /** Fed to restic's stdin (backup --stdin). */
  stdin?: Readable;
  /** restic's stdout goes here instead of being collected (dump). */
  stdout?: Writable;
  /** Called with every JSON line restic prints (with --json). */
  onJson?: (message: Record<string, unknown>) => void;
  /** Exit codes that are not failures (backup: 3 = some files could not be read). */
  okCodes?: number[];
  signal?: AbortSignal;
}

/** Removes the password from text restic or a shell printed, in case it ever echoes it. */
function scrub(text: string, secret: string): string {
  return secret.length >= 4 ? text.split(secret).join('[redacted]') : text;
}

function classify(stderr: string): ResticFailure {
  if (/wrong password|no key found/i.test(stderr)) return 'wrong-password';
  // Before no-repository: restic asks "Is there a repository…?" after any failure to read the config.
  if (/\b401 Unauthorized|\b403 Forbidden|AccessDenied|Access Denied/.test(stderr)) return 'access-denied';
  if (
    /Is there a repository at the following location|unable to open config file|repository does not exist/i.test(
      stderr,
    )
  )
    return 'no-repository';
  if (/repository is already locked|unable to create lock/i.test(stderr)) return 'locked';
  return 'failed';
}

function explain(target: ResticTarget, args: string[], failure: ResticFailure, stderr: string): string {
  const where = `restic ${args[0]} on repository "${target.name}"`;
  const detail = stderr.trim().split('\n').slice(-4).join(' | ');
  switch (failure) {
    case 'wrong-password':
      return `${where}: wrong password: the repository's key does not open with the configured password. Check the variable or file named by passwordEnv/passwordFile.`;
    case 'no-repository':
      return `${where}: there is no restic repository at ${target.repository}. Run \`steward backup run\` once (it initialises an empty repository) or fix the repository URL.`;
    case 'access-denied':
      return `${where}: the repository server refused access (${detail}). restic reads the server's credentials from the environment: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY for s3:, RESTIC_REST_USERNAME and RESTIC_REST_PASSWORD for rest: (restic 0.17 or later).`;
    case 'locked':
      return `${where}: the repository is locked by a running restic process (${detail}). Wait for it, or if that process is gone on another host, run \`restic unlock\` there.`;
    default:
      return `${where} failed: ${detail || 'no message'}`;
  }
}

export function resticEnv(target: ResticTarget): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    RESTIC_REPOSITORY: target.repository,
    RESTIC_PASSWORD: target.password,
  };
  // Never let a password file or command from the caller's environment override ours.
  delete env.RESTIC_PASSWORD_FILE;
  delete env.RESTIC_PASSWORD_COMMAND;
  delete env.RESTIC_REPOSITORY_FILE;
  return env;
}

function globalArgs(target: ResticTarget): string[] {
  const args: string[] = [];
  for (const [key, value] of Object.entries(target.options ?? {})) args.push('-o', `${key}=${value}`);
  if (target.caCert !== undefined) args.push('--cacert', target.caCert);
  if (target.limitUploadKiB !== undefined) args.push('--limit-upload', String(target.limitUploadKiB));
  if (target.limitDownloadKiB !== undefined) args.push('--limit-download', String(target.limitDownloadKiB));
  return args;
}

/** Runs restic once; rejects with ResticError on failure. */
export function runRestic(
  target: ResticTarget,
  args: string[],
  options: ResticOptions = {},
): Promise<ResticRun> {
  return new Promise((resolve, reject) => {
    const child = spawn('restic', [...globalArgs(target), ...args], {
      env: resticEnv(target),
      stdio: [options.stdin ? 'pipe' : 'ignore', 'pipe', 'pipe'],
      signal: options.signal ?? target.signal,
      // restic cleans up (removes its lock, saves nothing) on SIGINT, not on SIGTERM.
      killSignal: 'SIGINT',
    });
    let stdout = '';
    let stderr = '';
    let pending = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      if (options.stdout) {
        options.stdout.write(chunk);
        return;
      }
      const text = chunk.toString('utf8');
      if (!options.onJson) {
        stdout += text;
        return;
      }
      pending += text;
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        nl = pending.indexOf('\n');
        stdout += `${line}\n`;
        if (line.startsWith('{')) {
          try {
            options.onJson(JSON.parse(line) as Record<string, unknown>);
          } catch {
            // Not JSON after all: kept in stdout.
          }
        }
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.length > 64_000) stderr = stderr.slice(-32_000);
    });
    if (options.stdin && child.stdin) {
      child.stdin.on('error', () => {
        // restic exited early; its exit code and stderr say why.
      });
      // A failed input (e.g. pg_dump exiting non-zero) must stop restic before it sees an end of
      // input and saves an incomplete snapshot.
      options.stdin.on('error', (err) => {
        stderr += `\ninput failed: ${err.message}`;
        child.kill('SIGTERM');
      });
      options.stdin.pipe(child.stdin);
    }
    child.on('error', (err: NodeJS.ErrnoException) => {
      // Aborted: restic got SIGINT; 'close' follows once it has cleaned up and exited.
      if (err.name === 'AbortError') return;
      if (err.code === 'ENOENT')
        reject(
          new ResticError(
            'restic is not installed: install it (apt-get install restic) and try again',
            'missing-restic',
            null,
          ),
        );
      else
        reject(
          new ResticError(`restic could not run: ${scrub(err.message, target.password)}`, 'failed', null),
        );
    });
    child.on('close', (code, signal) => {
      if (options.stdout && options.stdout !== process.stdout) options.stdout.end();
      if (pending !== '') stdout += pending;
      const exit = code ?? -1;
      if (exit === 0 || options.okCodes?.includes(exit)) {
        resolve({ stdout, stderr: scrub(stderr, target.password), code: exit });
        return;
      }
      const clean = scrub(stderr, target.password);
      const failure = classify(clean);
      const message = signal
        ? `restic ${args[0]} on repository "${target.name}" was stopped by ${signal}`
        : explain(target, args, failure, clean);
      reject(new ResticError(message, failure, code));
    });
  });
}

/** Runs restic; when a stale lock is in the way, removes stale locks and tries once more. */
export async function runResticUnlocking(
  target: ResticTarget,
  args: string[],
  options: ResticOptions = {},
  onUnlock?: () => void,
): Promise<ResticRun> {
  try {
    return await runRestic(target, args, options);
  } catch (err) {
    if (!(err instanceof ResticError) || err.failure !== 'locked' || options.stdin) throw err;
    onUnlock?.();
    // Without --remove-all restic removes only stale locks: from a dead process on this host, or older than 30 minutes.
    await runRestic(target, ['unlock']);
    return await runRestic(target, args, options);
  }
}

/** Creates the repository when there is none yet; a wrong password stays an error. */
export async function ensureRepository(target: ResticTarget): Promise<boolean> {
  try {
    await runRestic(target, ['cat', 'config']);
    return false;
  } catch (err) {
    if (!(err instanceof ResticError) || err.failure !== 'no-repository') throw err;
    await runRestic(target, ['init']);
    return true;
  }
}

export interface Snapshot {
  id: string;
  short_id: string;
  time: string;
  hostname: string;
  paths: string[];
  tags?: string[];
  tree: string;
}

/** Snapshots carrying every tag of `tagFilter` (comma-separated), oldest first. */
export async function listSnapshots(target: ResticTarget, tagFilter: string): Promise<Snapshot[]> {
  const args = ['snapshots', '--json', '--no-lock', '--tag', tagFilter];
  const run = await runRestic(target, args);
  const list = JSON.parse(run.stdout || '[]') as Snapshot[] | null;
  return (list ?? []).sort((a, b) => Date.parse(a.time) - Date.parse(b.time));
}

/** A node of `restic ls --json`. */
export interface SnapshotNode {
  name: string;
  type: 'file' | 'dir' | 'symlink' | string;
  path: string;
  size?: number;
  mtime?: string;
}

export async function listFiles(target: ResticTarget, snapshot: string): Promise<SnapshotNode[]> {
  const nodes: SnapshotNode[] = [];
  await runRestic(target, ['ls', '--json', '--no-lock', snapshot], {
    onJson: (m) => {
      if (m.struct_type === 'node') nodes.push(m as unknown as SnapshotNode);
    },
  });
  return nodes;
}

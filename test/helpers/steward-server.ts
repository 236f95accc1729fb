import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const ROOT = resolve(import.meta.dirname, '../..');
export const STEWARD = join(ROOT, 'bin/steward.js');
export const TEST_PLUGINS = join(ROOT, 'test/fixtures/plugins');
export const NAGIOS_PLUGINS = '/usr/lib/nagios/plugins';

export function tempDir(prefix = 'steward-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function freePort(): Promise<number> {
  return await new Promise((done, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a ? a.port : 0;
      s.close(() => done(port));
    });
  });
}

/** Runs the steward CLI to completion (Node 24: the one running the tests). */
export function steward(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {},
) {
  const r = spawnSync(process.execPath, [STEWARD, ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, ...opts.env },
    input: opts.input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | undefined>;
}

/** A `steward serve` child process on a free loopback port, with a token and a TLS-verifying client. */
export class StewardServer {
  readonly dir: string;
  readonly dataDir: string;
  readonly specFile: string;
  port = 0;
  token = '';
  child: ChildProcess | null = null;
  logs = '';
  #ca = '';

  constructor(spec: string, dir = tempDir()) {
    this.dir = dir;
    this.dataDir = join(dir, 'data');
    this.specFile = join(dir, 'steward.yaml');
    writeFileSync(this.specFile, spec);
  }

  writeSpec(spec: string): void {
    writeFileSync(this.specFile, spec);
  }

  async start(extraArgs: string[] = []): Promise<void> {
    if (!this.port) this.port = await freePort();
    this.child = spawn(
      process.execPath,
      [
        STEWARD,
        'serve',
        '--spec',
        this.specFile,
        '--data',
        this.dataDir,
        '--listen',
        `127.0.0.1:${this.port}`,
        ...extraArgs,
      ],
      {
        cwd: this.dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, STEWARD_LOG_LEVEL: 'info' },
      },
    );
    this.child.stdout!.on('data', (d) => (this.logs += d));
    this.child.stderr!.on('data', (d) => (this.logs += d));
    const exited = new Promise<number>((r) => this.child!.once('exit', (c) => r(c ?? -1)));
    for (let i = 0; i < 300; i++) {
      const code = await Promise.race([exited, sleep(100).then(() => null)]);
      if (code !== null) throw new Error(`steward serve exited with ${code}:\n${this.logs}`);
      try {
        this.#ca = readFileSync(join(this.dataDir, 'tls/cert.pem'), 'utf8');
        const r = await this.get('/healthz');
        if (r.status === 200) break;
      } catch {
        // not listening yet
      }
    }
    if (!this.token) {
      const t = steward(['token', 'create', '--name', 'test', '--data', this.dataDir]);
      if (t.code !== 0) throw new Error(`token create failed: ${t.stderr}`);
      this.token = t.stdout.trim();
    }
  }

  /** Graceful stop (SIGTERM) or a crash (SIGKILL). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await Promise.race([exited, sleep(10_000)]);
    this.child = null;
  }

  async cleanup(): Promise<void> {
    await this.stop('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    token: string | null = this.token,
  ): Promise<ApiResponse<T>> {
    return new Promise((done, fail) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        {
          host: '127.0.0.1',
          port: this.port,
          method,
          path,
          ca: this.#ca,
          headers: {
            ...(data
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }
              : {}),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            let parsed: unknown = text;
            if ((res.headers['content-type'] ?? '').includes('json') && text) parsed = JSON.parse(text);
            done({ status: res.statusCode ?? 0, body: parsed as T, headers: res.headers });
          });
        },
      );
      req.on('error', fail);
      req.setTimeout(15_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      if (data) req.write(data);
      req.end();
    });
  }

  get<T = any>(path: string, token?: string | null): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, undefined, token === undefined ? this.token : token);
  }

  post<T = any>(path: string, body: unknown): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body);
  }

  async service(host: string, service: string): Promise<any> {
    const r = await this.get(`/api/v1/services/${encodeURIComponent(host)}/${encodeURIComponent(service)}`);
    if (r.status !== 200)
      throw new Error(`GET service ${host}/${service}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  /** Polls until `predicate` holds for the service (bounded), returning the last view. */
  async waitForService(
    host: string,
    service: string,
    predicate: (s: any) => boolean,
    timeoutMs = 15_000,
  ): Promise<any> {
    const until = Date.now() + timeoutMs;
    let last: any;
    while (Date.now() < until) {
      last = await this.service(host, service);
      if (predicate(last)) return last;
      await sleep(50);
    }
    throw new Error(
      `timed out waiting on ${host}/${service}; last: ${JSON.stringify(last)}\nlogs:\n${this.logs.slice(-3000)}`,
    );
  }
}

/** Drives check_from_file: the next result the plugin returns. */
export function setPluginState(file: string, code: number, output: string): void {
  writeFileSync(file, `${code} ${output}\n`);
}

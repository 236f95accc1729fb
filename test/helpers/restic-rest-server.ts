/**
 * A small restic REST backend server (the protocol of restic's rest-server), for tests of the
 * `rest:` repository kind: Debian ships no rest-server. It follows restic's documented REST
 * backend API: `POST {path}?create=true`, `{path}/config` and `{path}/{type}/{name}` with
 * HEAD/GET (ranges)/POST/DELETE, and `GET {path}/{type}/` listing names (API v1) or names and
 * sizes (API v2, chosen with `Accept: application/vnd.x.restic.rest.v2`). Like rest-server it
 * refuses to overwrite a file and checks that an upload's SHA-256 matches its name.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';

const TYPES = new Set(['data', 'keys', 'locks', 'snapshots', 'index']);
export const REST_V1 = 'application/vnd.x.restic.rest.v1';
export const REST_V2 = 'application/vnd.x.restic.rest.v2';
const NAME = /^[0-9a-f]{64}$/;

export interface RestServerOptions {
  /** Where repositories are kept (one directory per repository path). */
  root: string;
  /** Basic-auth users; none: no authentication. */
  users?: Record<string, string>;
}

export interface RestRequestLog {
  method: string;
  path: string;
  status: number;
  accept: string;
}

export class ResticRestServer {
  readonly root: string;
  readonly requests: RestRequestLog[] = [];
  port = 0;
  readonly #users: Record<string, string> | undefined;
  readonly #server: Server;

  constructor(options: RestServerOptions) {
    this.root = options.root;
    this.#users = options.users;
    this.#server = createServer((req, res) => {
      this.#handle(req, res).catch((err: Error) => this.#reply(req, res, 500, err.message));
    });
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    const address = this.#server.address();
    this.port = typeof address === 'object' && address !== null ? address.port : 0;
    return `http://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #reply(req: IncomingMessage, res: ServerResponse, status: number, body = '', type = 'text/plain'): void {
    this.requests.push({
      method: req.method ?? '',
      path: req.url ?? '',
      status,
      accept: String(req.headers.accept ?? ''),
    });
    if (res.headersSent) {
      res.destroy();
      return;
    }
    res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  #authorized(req: IncomingMessage): boolean {
    if (this.#users === undefined) return true;
    const header = req.headers.authorization ?? '';
    if (!header.startsWith('Basic ')) return false;
    const text = Buffer.from(header.slice(6), 'base64').toString('utf8');
    const colon = text.indexOf(':');
    const expected = this.#users[text.slice(0, colon)];
    if (colon < 0 || expected === undefined) return false;
    const given = Buffer.from(text.slice(colon + 1));
    const want = Buffer.from(expected);
    return given.length === want.length && timingSafeEqual(given, want);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!this.#authorized(req)) {
      res.setHeader('www-authenticate', 'Basic realm="restic"');
      this.#reply(req, res, 401, 'unauthorized\n');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const segments = url.pathname.split('/').map(decodeURIComponent);
    if (segments.some((s) => s === '..' || s === '.' || s.includes('\0'))) {
      this.#reply(req, res, 400, 'bad path\n');
      return;
    }
    const method = req.method ?? 'GET';
    const last = segments[segments.length - 1]!;
    const parent = segments[segments.length - 2] ?? '';
    // {path}/{type}/ — a listing.
    if (last === '' && TYPES.has(parent)) {
      if (method !== 'GET') {
        this.#reply(req, res, 405, 'method not allowed\n');
        return;
      }
      const repo = join(this.root, ...segments.slice(0, -2));
      this.#list(req, res, join(repo, parent));
      return;
    }
    // {path}/config
    if (last === 'config') {
      await this.#file(req, res, join(this.root, ...segments.slice(0, -1), 'config'), false);
      return;
    }
    // {path}/{type}/{name}
    if (TYPES.has(parent) && NAME.test(last)) {
      await this.#file(req, res, join(this.root, ...segments.slice(0, -2), parent, last), true);
      return;
    }
    // {path}?create=true
    if (method === 'POST' && url.searchParams.get('create') === 'true') {
      const repo = join(this.root, ...segments);
      for (const type of TYPES) mkdirSync(join(repo, type), { recursive: true });
      this.#reply(req, res, 200);
      return;
    }
    if (method === 'DELETE') {
      this.#reply(req, res, 501, 'deleting a repository is not implemented\n');
      return;
    }
    this.#reply(req, res, 404, 'not found\n');
  }

  #list(req: IncomingMessage, res: ServerResponse, dir: string): void {
    if (!existsSync(dir)) {
      this.#reply(req, res, 404, 'no such repository\n');
      return;
    }
    const names = readdirSync(dir).filter((n) => NAME.test(n));
    if (String(req.headers.accept ?? '').includes(REST_V2)) {
      const list = names.map((name) => ({ name, size: statSync(join(dir, name)).size }));
      this.#reply(req, res, 200, JSON.stringify(list), REST_V2);
      return;
    }
    this.#reply(req, res, 200, JSON.stringify(names), REST_V1);
  }

  async #file(req: IncomingMessage, res: ServerResponse, path: string, named: boolean): Promise<void> {
    const method = req.method ?? 'GET';
    if (method === 'POST') {
      if (!existsSync(join(path, '..'))) {
        this.#reply(req, res, 404, 'no such repository\n');
        return;
      }
      if (existsSync(path)) {
        this.#reply(req, res, 403, 'file exists\n');
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      if (named && createHash('sha256').update(body).digest('hex') !== path.slice(-64)) {
        this.#reply(req, res, 400, 'file content does not match its name\n');
        return;
      }
      const temp = `${path}.tmp-${process.pid}-${Date.now()}`;
      writeFileSync(temp, body);
      renameSync(temp, path);
      this.#reply(req, res, 200);
      return;
    }
    if (!existsSync(path)) {
      this.#reply(req, res, 404, 'not found\n');
      return;
    }
    if (method === 'DELETE') {
      rmSync(path);
      this.#reply(req, res, 200);
      return;
    }
    const size = statSync(path).size;
    if (method === 'HEAD') {
      this.requests.push({
        method,
        path: req.url ?? '',
        status: 200,
        accept: String(req.headers.accept ?? ''),
      });
      res.writeHead(200, { 'content-length': size, 'content-type': 'application/octet-stream' });
      res.end();
      return;
    }
    if (method !== 'GET') {
      this.#reply(req, res, 405, 'method not allowed\n');
      return;
    }
    let start = 0;
    let end = size - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ''));
    if (range) {
      start = Number(range[1]);
      if (range[2] !== '') end = Math.min(end, Number(range[2]));
      if (start > end || start >= size) {
        res.setHeader('content-range', `bytes */${size}`);
        this.#reply(req, res, 416, 'range not satisfiable\n');
        return;
      }
      status = 206;
      res.setHeader('content-range', `bytes ${start}-${end}/${size}`);
    }
    this.requests.push({ method, path: req.url ?? '', status, accept: String(req.headers.accept ?? '') });
    res.writeHead(status, { 'content-length': end - start + 1, 'content-type': 'application/octet-stream' });
    createReadStream(path, { start, end }).pipe(res);
  }
}

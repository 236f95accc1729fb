import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { base32Decode, totpCode } from '../../../src/auth/index.ts';
import { type StewardServer, steward } from '../../helpers/steward-server.ts';

export interface WebResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** An HTTPS client with a cookie jar, as a browser would hold the session cookie. */
export class WebClient {
  readonly server: StewardServer;
  cookie = '';
  readonly #ca: string;

  constructor(server: StewardServer) {
    this.server = server;
    this.#ca = readFileSync(join(server.dataDir, 'tls/cert.pem'), 'utf8');
  }

  send(
    method: string,
    path: string,
    opts: { form?: Record<string, string>; json?: unknown; headers?: Record<string, string> } = {},
  ): Promise<WebResponse> {
    const body = opts.form
      ? new URLSearchParams(opts.form).toString()
      : opts.json !== undefined
        ? JSON.stringify(opts.json)
        : undefined;
    const type = opts.form ? 'application/x-www-form-urlencoded' : 'application/json';
    return new Promise((done, fail) => {
      const req = request(
        {
          host: '127.0.0.1',
          port: this.server.port,
          method,
          path,
          ca: this.#ca,
          headers: {
            ...(body ? { 'content-type': type, 'content-length': Buffer.byteLength(body) } : {}),
            ...(this.cookie ? { cookie: this.cookie } : {}),
            ...opts.headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c) => (text += c));
          res.on('end', () => {
            const set = res.headers['set-cookie'];
            for (const c of set ?? []) {
              const pair = c.split(';', 1)[0]!;
              this.cookie = pair.endsWith('=') ? '' : pair;
            }
            let json: unknown;
            if ((res.headers['content-type'] ?? '').includes('json') && text) json = JSON.parse(text);
            done({ status: res.statusCode ?? 0, headers: res.headers, text, json });
          });
        },
      );
      req.on('error', fail);
      if (body) req.write(body);
      req.end();
    });
  }

  get(path: string): Promise<WebResponse> {
    return this.send('GET', path);
  }
}

export function addUser(server: StewardServer, name: string, password: string, role: string): void {
  const r = steward(['user', 'add', name, '--role', role, '--data', server.dataDir], {
    input: `${password}\n`,
  });
  if (r.code !== 0) throw new Error(`user add failed: ${r.stderr}`);
}

/** Waits until the next TOTP step starts (a code can be used once per step). */
export async function nextStep(): Promise<void> {
  const ms = 30_000 - (Date.now() % 30_000) + 50;
  await new Promise((r) => setTimeout(r, ms));
}

/**
 * Signs a new user in for the first time: password, then TOTP enrolment from the page (the secret
 * as the page shows it for typing), then the code. Returns the secret and the recovery codes.
 */
export async function enrol(
  client: WebClient,
  user: string,
  password: string,
): Promise<{ secret: Buffer; recovery: string[]; csrf: string; code: string }> {
  const login = await client.send('POST', '/login', { form: { user, password, code: '' } });
  if (login.status !== 303 || login.headers.location !== '/enrol')
    throw new Error(`login: ${login.status} ${login.text}`);
  const page = await client.get('/enrol');
  const secretText = /<code class="secret">([^<]+)<\/code>/.exec(page.text)?.[1];
  const formCsrf = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
  if (!secretText || !formCsrf || !page.text.includes('<svg')) throw new Error(`enrol page: ${page.text}`);
  const secret = base32Decode(secretText);
  const code = totpCode(secret, Date.now());
  const done = await client.send('POST', '/enrol', { form: { _csrf: formCsrf, code } });
  if (done.status !== 200) throw new Error(`enrol: ${done.status} ${done.text}`);
  const recovery = [...done.text.matchAll(/<li><code>([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!);
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(done.text)?.[1] ?? '';
  return { secret, recovery, csrf, code };
}

export function csrfOf(html: string): string {
  return /name="csrf-token" content="([^"]+)"/.exec(html)?.[1] ?? '';
}

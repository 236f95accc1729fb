import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { describeSocketError } from './native-errors.ts';

export type FetchOutcome =
  | { ok: true; status: number; body: string; ms: number }
  | { ok: false; error: string; timedOut?: boolean };

const MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * GETs a URL's body as text for probes that read data over HTTP (metrics pages, Jolokia). Errors
 * say where and what happened; bodies beyond 32 MB are refused rather than buffered.
 */
export function fetchText(
  url: string,
  opts: { timeoutMs: number; insecure?: boolean; accept?: string; signal?: AbortSignal },
): Promise<FetchOutcome> {
  return new Promise((resolve) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      resolve({ ok: false, error: `invalid URL ${url}` });
      return;
    }
    const started = performance.now();
    const request = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
    const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
    const host = parsed.hostname.replace(/^\[|\]$/g, '');
    let done = false;
    const finish = (outcome: FetchOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const headers: Record<string, string> = { 'user-agent': 'steward' };
    if (opts.accept) headers.accept = opts.accept;
    if (parsed.username !== '') {
      const user = decodeURIComponent(parsed.username);
      const pass = decodeURIComponent(parsed.password);
      headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    }
    const where = `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
    const req = request(
      {
        host,
        port,
        path: `${parsed.pathname}${parsed.search}`,
        method: 'GET',
        headers,
        rejectUnauthorized: opts.insecure !== true,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) finish({ ok: false, error: `${where} sent more than 32 MB` });
          else chunks.push(chunk);
        });
        res.on('end', () =>
          finish({
            ok: true,
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            ms: performance.now() - started,
          }),
        );
        res.on('error', (error) => finish({ ok: false, error: `${where}: ${error.message}` }));
      },
    );
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          error: `no complete answer from ${where} within ${(opts.timeoutMs / 1000).toFixed(1)} s`,
          timedOut: true,
        }),
      opts.timeoutMs,
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      const text =
        error.code?.startsWith('ERR_TLS') || /certificate/i.test(error.message)
          ? `${where}: TLS: ${error.message} (set insecure: true to accept a self-signed certificate)`
          : `${where}: ${describeSocketError(error, host, port)}`;
      finish({ ok: false, error: text });
    });
    opts.signal?.addEventListener('abort', () => finish({ ok: false, error: `${where}: cancelled` }), {
      once: true,
    });
    req.end();
  });
}

/**
 * Outbound HTTP(S) for the channels: through HTTPS_PROXY/HTTP_PROXY unless NO_PROXY says otherwise
 * (Node's agents tunnel with CONNECT when given `proxyEnv`), with a timeout, reading the answer.
 */
import http from 'node:http';
import https from 'node:https';
import { parseRetryAfter } from '../alerting/retry-policy.ts';
import { type DeliveryResult, httpResult } from './delivery.ts';

export interface PostOptions {
  headers?: Record<string, string>;
  timeoutMs: number;
  /** Environment with HTTPS_PROXY/HTTP_PROXY/NO_PROXY (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Extra CA certificates to trust (tests' self-signed receivers). */
  ca?: string;
}

const agents = new Map<string, http.Agent>();

function agentFor(protocol: string, env: NodeJS.ProcessEnv, ca: string | undefined): http.Agent {
  const proxyEnv = {
    HTTPS_PROXY: env.HTTPS_PROXY ?? env.https_proxy,
    HTTP_PROXY: env.HTTP_PROXY ?? env.http_proxy,
    NO_PROXY: env.NO_PROXY ?? env.no_proxy,
  };
  const key = `${protocol}|${proxyEnv.HTTPS_PROXY}|${proxyEnv.HTTP_PROXY}|${proxyEnv.NO_PROXY}|${ca ?? ''}`;
  let agent = agents.get(key);
  if (!agent) {
    const options = { keepAlive: true, maxSockets: 16, proxyEnv } as http.AgentOptions;
    agent =
      protocol === 'https:'
        ? new https.Agent({ ...options, ...(ca ? { ca } : {}) })
        : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

/** POSTs a body; never throws: network errors and timeouts are failed (retryable) results. */
export function postBody(url: string, body: string, opts: PostOptions): Promise<DeliveryResult> {
  const target = new URL(url);
  const env = opts.env ?? process.env;
  const lib = target.protocol === 'https:' ? https : http;
  return new Promise((done) => {
    let settled = false;
    const finish = (r: DeliveryResult) => {
      if (!settled) {
        settled = true;
        done(r);
      }
    };
    const req = lib.request(
      target,
      {
        method: 'POST',
        agent: agentFor(target.protocol, env, opts.ca),
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'steward-alerting',
          ...opts.headers,
        },
        timeout: opts.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size < 64 * 1024) chunks.push(c);
        });
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8').trim();
          const retryAfter = parseRetryAfter(res.headers['retry-after'] as string | undefined, Date.now());
          finish(httpResult(res.statusCode ?? 0, text, retryAfter));
        });
        res.on('error', (err) =>
          finish({ ok: false, response: `reading the answer failed: ${err.message}` }),
        );
      },
    );
    req.on('timeout', () => {
      req.destroy(new Error(`no answer within ${opts.timeoutMs} ms`));
    });
    req.on('error', (err) => finish({ ok: false, response: `${target.host}: ${err.message}` }));
    req.end(body);
  });
}

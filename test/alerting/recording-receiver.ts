/**
 * A local HTTP server that stands in for Slack, Teams, PagerDuty, Opsgenie or a webhook receiver:
 * answers as the real API documents and records every request it gets.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: any;
  at: number;
}

export interface Answer {
  status: number;
  body: string;
  headers?: Record<string, string>;
  /** Wait this long before answering (a slow receiver). */
  delayMs?: number;
}

export class RecordingReceiver {
  readonly received: Received[] = [];
  server: Server;
  port = 0;
  /** Decides the answer for each request (default: the API's success answer). */
  answer: (r: Received) => Answer;

  constructor(answer: (r: Received) => Answer = () => ({ status: 200, body: 'ok' })) {
    this.answer = answer;
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        let body: unknown = raw;
        try {
          body = JSON.parse(raw);
        } catch {
          // not JSON
        }
        const r: Received = {
          method: req.method ?? '',
          path: req.url ?? '',
          headers: req.headers,
          raw,
          body,
          at: Date.now(),
        };
        const a = this.answer(r);
        const send = () => {
          if (a.status >= 200 && a.status < 300) this.received.push(r);
          res.writeHead(a.status, { 'content-type': 'application/json', ...a.headers });
          res.end(a.body);
        };
        if (a.delayMs) setTimeout(send, a.delayMs);
        else send();
      });
    });
    this.server.keepAliveTimeout = 100;
  }

  async start(): Promise<this> {
    await new Promise<void>((done) => this.server.listen(0, '127.0.0.1', done));
    const a = this.server.address();
    this.port = typeof a === 'object' && a ? a.port : 0;
    return this;
  }

  url(path = '/'): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  async waitFor(predicate: (all: Received[]) => boolean, timeoutMs = 10_000): Promise<Received[]> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if (predicate(this.received)) return this.received;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(
      `receiver did not get what was expected within ${timeoutMs} ms; got ${this.received.length} requests:\n${this.received.map((r) => r.raw.slice(0, 300)).join('\n')}`,
    );
  }
}

/**
 * Scrape targets for the Prometheus bench: one loopback HTTP server per target, each serving a
 * node-exporter-sized page (FAMILIES counter families of SERIES_PER_FAMILY series, ~1,000 series,
 * ~60 KB) and counting the scrapes it answers. Counter `bench_f<f>_total{device="d<k>"}` grows by
 * k+1 per second, so `sum(rate(bench_f0_total{target="t0"}[1m]))` has a known answer.
 */
import { createServer, type Server } from 'node:http';

export const FAMILIES = 5;
/** 200 = what one Steward prometheus check stores at most (MAX_STORED_SERIES). */
export const SERIES_PER_FAMILY = 200;
export const SERIES_PER_TARGET = FAMILIES * SERIES_PER_FAMILY;
/** sum over k of (k+1): the rate one family's series add up to, per second. */
export const FAMILY_RATE_PER_S = (SERIES_PER_FAMILY * (SERIES_PER_FAMILY + 1)) / 2;

/** The exposition page of target `target` at `nowMs` (values are whole-second counters). */
export function targetPage(target: string, nowMs: number, startMs: number): string {
  const seconds = Math.floor((nowMs - startMs) / 1000);
  const lines: string[] = [];
  for (let f = 0; f < FAMILIES; f++) {
    lines.push(`# HELP bench_f${f}_total A counter family of the bench target.`);
    lines.push(`# TYPE bench_f${f}_total counter`);
    for (let k = 0; k < SERIES_PER_FAMILY; k++) {
      lines.push(`bench_f${f}_total{target="${target}",device="d${k}"} ${seconds * (k + 1)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface ScrapeTargets {
  ports: number[];
  /** Scrapes answered since start (or the last reset). */
  scrapes(): number;
  reset(): void;
  close(): Promise<void>;
}

export async function startScrapeTargets(count: number): Promise<ScrapeTargets> {
  const startMs = Date.now();
  let scrapes = 0;
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const target = `t${i}`;
    const server = createServer((req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      scrapes++;
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(targetPage(target, Date.now(), startMs));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    ports.push((server.address() as { port: number }).port);
  }
  return {
    ports,
    scrapes: () => scrapes,
    reset: () => {
      scrapes = 0;
    },
    close: async () => {
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.closeAllConnections();
              s.close(() => r());
            }),
        ),
      );
    },
  };
}

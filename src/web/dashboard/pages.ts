import type { FastifyInstance } from 'fastify';
import { type DashboardContext, requireSession, shellUser } from './context.ts';
import { shell } from './html.ts';

const PAGES: [string, string, string][] = [
  ['/', 'overview', 'Overview'],
  ['/hosts', 'hosts', 'Hosts'],
  ['/services', 'services', 'Services'],
  ['/object', 'object', 'Details'],
  ['/graphs', 'graphs', 'Graphs'],
  ['/reports', 'reports', 'Reports'],
  ['/audit', 'audit', 'Audit'],
];

/** Every page is the same shell; app.js renders it from the JSON endpoints and keeps it live. */
export function pageRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  for (const [path, page, title] of PAGES) {
    app.get(path, { schema: { hide: true } }, async (req, reply) => {
      const s = requireSession(ctx, req, reply, 'page');
      if (!s) return reply;
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          shell({
            title,
            page,
            user: shellUser(s),
            body: '<p class="loading" aria-live="polite">Loading…</p>',
            scripts: ['/assets/uPlot.iife.min.js', '/assets/app.js'],
          }),
        );
    });
  }
}

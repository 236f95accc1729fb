// The operators' dashboard, beside /api/v1 on the same HTTPS port: sign-in with password + TOTP,
// server-side sessions, CSRF-checked actions, live updates (SSE), graphs (uPlot), audit log.
import type { FastifyInstance } from 'fastify';
import { actionRoutes } from './action-routes.ts';
import { assetRoutes } from './assets.ts';
import { authRoutes } from './auth-routes.ts';
import type { DashboardContext } from './context.ts';
import { dataRoutes } from './data-routes.ts';
import { graphRoutes } from './graph-routes.ts';
import { liveRoutes } from './live.ts';
import { pageRoutes } from './pages.ts';
import { reportRoutes } from './report-routes.ts';

export type { DashboardContext } from './context.ts';
export { buildOverview, type Overview, objectRows } from './data.ts';

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
  'x-frame-options': 'DENY',
};

export async function registerDashboard(app: FastifyInstance, ctx: DashboardContext): Promise<void> {
  await app.register(async (scope) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16_384 },
      (_req, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(body as string)));
      },
    );
    scope.addHook('onSend', async (_req, reply) => {
      for (const [k, v] of Object.entries(SECURITY_HEADERS)) reply.header(k, v);
    });
    assetRoutes(scope);
    authRoutes(scope, ctx);
    pageRoutes(scope, ctx);
    dataRoutes(scope, ctx);
    graphRoutes(scope, ctx);
    actionRoutes(scope, ctx);
    liveRoutes(scope, ctx);
    reportRoutes(scope, ctx);
  });
}

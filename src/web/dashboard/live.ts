import type { FastifyInstance } from 'fastify';
import type { MonitoringEvent } from '../../core/index.ts';
import { type DashboardContext, requireSession, visibility } from './context.ts';

/**
 * Server-sent events: every engine event the viewer may see, as it is persisted. Browsers refresh
 * what they show from it (no full reloads); a heartbeat comment keeps proxies from closing the stream.
 */
export function liveRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.get('/ui/api/live', { schema: { hide: true } }, (req, reply) => {
    const s = requireSession(ctx, req, reply, 'api');
    if (!s) return reply;
    const visible = visibility(s);
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      ...(reply.getHeader('strict-transport-security')
        ? { 'strict-transport-security': 'max-age=31536000' }
        : {}),
    });
    res.write('retry: 2000\n\n');
    const send = (e: MonitoringEvent) => {
      if (!visible(e.environment)) return;
      const data = {
        type: e.type,
        objectId: e.objectId,
        environment: e.environment,
        state: e.state,
        hard: e.hard ?? false,
        time: e.time,
      };
      res.write(`event: monitoring\ndata: ${JSON.stringify(data)}\n\n`);
    };
    const unsubscribe = ctx.engine.subscribe(send);
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
    const close = () => {
      clearInterval(heartbeat);
      unsubscribe();
    };
    req.raw.on('close', close);
    res.on('error', close);
  });
}

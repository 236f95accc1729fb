import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';

const require = createRequire(import.meta.url);
const UPLOT_DIST = join(dirname(require.resolve('uplot/package.json')), 'dist');
const OWN = join(import.meta.dirname, 'assets');

const FILES: Record<string, { file: string; type: string }> = {
  'app.js': { file: join(OWN, 'app.js'), type: 'text/javascript; charset=utf-8' },
  'app.css': { file: join(OWN, 'app.css'), type: 'text/css; charset=utf-8' },
  'uPlot.iife.min.js': {
    file: join(UPLOT_DIST, 'uPlot.iife.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'uPlot.min.css': { file: join(UPLOT_DIST, 'uPlot.min.css'), type: 'text/css; charset=utf-8' },
};

/** Static files, read once at start; public (no session): they hold no data. */
export function assetRoutes(app: FastifyInstance): void {
  const cache = new Map<string, Buffer>();
  for (const [name, f] of Object.entries(FILES)) cache.set(name, readFileSync(f.file));
  app.get<{ Params: { name: string } }>('/assets/:name', { schema: { hide: true } }, async (req, reply) => {
    const f = FILES[req.params.name];
    const body = cache.get(req.params.name);
    if (!f || !body)
      return reply.code(404).send({ statusCode: 404, error: 'Not Found', message: 'no such asset' });
    return reply.type(f.type).header('cache-control', 'no-cache').send(body);
  });
}

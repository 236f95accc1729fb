import type { FastifyInstance } from 'fastify';
import type { ApiContext } from './context.ts';
import { errorSchema } from './schemas.ts';

export function adminRoutes(app: FastifyInstance, ctx: ApiContext): void {
  app.post(
    '/api/v1/reload',
    {
      schema: {
        summary: 'Re-read the spec and apply it; an invalid spec is refused and the running one stays',
        tags: ['admin'],
        response: {
          200: {
            type: 'object',
            properties: {
              ok: { type: 'boolean' },
              added: { type: 'array', items: { type: 'string' } },
              removed: { type: 'array', items: { type: 'string' } },
              changed: { type: 'array', items: { type: 'string' } },
              errors: { type: 'array', items: { type: 'string' } },
            },
          },
          422: {
            type: 'object',
            properties: { ok: { type: 'boolean' }, errors: { type: 'array', items: { type: 'string' } } },
          },
          501: errorSchema,
        },
      },
    },
    async (_req, reply) => {
      if (!ctx.reload)
        return reply.code(501).send({
          statusCode: 501,
          error: 'Not Implemented',
          message: 'this server has no spec file to reload',
        });
      const r = await ctx.reload();
      return reply.code(r.ok ? 200 : 422).send(r);
    },
  );
}

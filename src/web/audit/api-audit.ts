import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Store } from '../../store/types.ts';
import { errorSchema } from '../routes/schemas.ts';
import { audit, auditCsv, auditView } from './audit-log.ts';

// What an API write is called in the audit log (the same names the dashboard's actions use).
const ACTION_NAMES: [method: string, prefix: string, action: string][] = [
  ['POST', '/api/v1/acknowledgements', 'ack'],
  ['DELETE', '/api/v1/acknowledgements', 'unack'],
  ['POST', '/api/v1/downtimes', 'downtime'],
  ['DELETE', '/api/v1/downtimes/', 'downtime_cancel'],
  ['POST', '/api/v1/recheck', 'recheck'],
  ['POST', '/api/v1/comments', 'comment'],
  ['DELETE', '/api/v1/comments/', 'comment_delete'],
  ['POST', '/api/v1/reload', 'reload'],
  ['POST', '/api/v1/silences', 'silence'],
  ['DELETE', '/api/v1/silences/', 'silence_expire'],
];

function target(req: FastifyRequest): string {
  const src = (req.method === 'DELETE' ? req.query : req.body) as
    | { host?: string; service?: string }
    | undefined;
  if (src && typeof src === 'object' && typeof src.host === 'string')
    return src.service ? `${src.host}/${src.service}` : src.host;
  return req.url.split('?', 1)[0]!.split('/').pop() ?? '';
}

/**
 * Audits every state-changing API request made with a token (who, what, on what, allowed or not),
 * and serves the audit log to admin tokens as JSON or CSV. Passive results are not audited: they
 * are monitoring data, not operator actions.
 */
export function apiAuditRoutes(app: FastifyInstance, store: Store): void {
  app.addHook('onResponse', async (req, reply) => {
    const path = req.url.split('?', 1)[0]!;
    const entry = ACTION_NAMES.find(([m, p]) => m === req.method && path.startsWith(p));
    if (!entry) return;
    const token = (req as FastifyRequest & { tokenName?: string }).tokenName;
    const ok = reply.statusCode < 400;
    audit(store, {
      actor: token ? `token:${token}` : '-',
      action: entry[2],
      target: target(req),
      outcome: ok ? 'ok' : 'refused',
      ip: req.ip,
      details: ok ? {} : { status: reply.statusCode },
    });
  });

  app.get<{
    Querystring: {
      format?: 'json' | 'csv';
      action?: string;
      actor?: string;
      outcome?: 'ok' | 'refused';
      source?: string;
      limit?: number;
    };
  }>(
    '/api/v1/audit',
    {
      schema: {
        summary: 'The audit log: logins, failures and actions, newest first (admin tokens only)',
        tags: ['admin'],
        querystring: {
          type: 'object',
          properties: {
            format: { type: 'string', enum: ['json', 'csv'], default: 'json' },
            action: { type: 'string' },
            actor: { type: 'string' },
            outcome: { type: 'string', enum: ['ok', 'refused'] },
            source: {
              type: 'string',
              description: '`local` (this server) or a reporter, e.g. the bastion name',
            },
            limit: { type: 'integer', minimum: 1, maximum: 100000, default: 1000 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              entries: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    id: { type: 'integer' },
                    time: { type: 'string' },
                    actor: { type: 'string' },
                    action: { type: 'string' },
                    target: { type: 'string' },
                    outcome: { type: 'string' },
                    ip: { type: 'string' },
                    details: { type: 'object', additionalProperties: true },
                    source: { type: 'string' },
                    eventId: { type: 'string' },
                  },
                },
              },
            },
          },
          403: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const entries = store.queryAudit({
        action: q.action,
        actor: q.actor,
        outcome: q.outcome,
        source: q.source,
        limit: q.limit ?? 1000,
      });
      if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').send(auditCsv(entries));
      return { entries: entries.map(auditView) };
    },
  );
}

import type { FastifyInstance } from 'fastify';
import type { AuditEntry, Store } from '../../store/types.ts';
import { errorSchema } from '../routes/schemas.ts';

/** Where reporters (a bastion's `steward gateway --report-to`) post their audit events. */
export const AUDIT_INGEST_PATH = '/api/v1/audit/events';

/** A reporter's name (its `source`): token-name characters; `local` is this server's own entries. */
export const REPORTER_NAME = /^(?!local$)[A-Za-z0-9_.@-]{1,64}$/;

/** The most events one request may carry; reporters send more in further requests. */
export const MAX_INGEST_BATCH = 1000;

interface IngestBody {
  source: string;
  entries: (Omit<AuditEntry, 'id' | 'source'> & { eventId: string })[];
}

const text = (max: number) => ({ type: 'string', maxLength: max });

/**
 * Receives audit events recorded elsewhere (a bastion in its public subnet) into this server's
 * audit log, each tagged with its source so the dashboard can tell and filter them. Reporters
 * re-send whatever they are not sure arrived; (source, eventId) makes the second copy a no-op,
 * so every event is stored exactly once. Only `audit-writer` tokens may post here (auth.ts), each
 * as the source it is named after.
 * Returns the counters for /metrics.
 */
export function auditIngestRoutes(app: FastifyInstance, store: Store): { metricsText(): string } {
  const received = new Map<string, { stored: number; duplicates: number }>();
  app.post<{ Body: IngestBody }>(
    AUDIT_INGEST_PATH,
    {
      schema: {
        summary: "Append a reporter's audit events (audit-writer tokens only); re-sent events are skipped",
        tags: ['admin'],
        body: {
          type: 'object',
          required: ['source', 'entries'],
          additionalProperties: false,
          properties: {
            source: {
              type: 'string',
              pattern: REPORTER_NAME.source,
              description: 'The reporter, e.g. the bastion name; `local` is this server itself.',
            },
            entries: {
              type: 'array',
              maxItems: MAX_INGEST_BATCH,
              items: {
                type: 'object',
                required: ['eventId', 'time', 'actor', 'action', 'outcome'],
                additionalProperties: false,
                properties: {
                  eventId: { type: 'string', minLength: 1, maxLength: 128 },
                  time: { type: 'integer', minimum: 0 },
                  actor: text(256),
                  action: text(128),
                  target: { ...text(512), default: '' },
                  outcome: { type: 'string', enum: ['ok', 'refused'] },
                  ip: { ...text(64), default: '' },
                  details: { type: 'object', additionalProperties: true, default: {} },
                },
              },
            },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: {
              stored: { type: 'integer', description: 'events new to this server' },
              duplicates: { type: 'integer', description: 'events it had already (a re-send)' },
            },
          },
          400: errorSchema,
          403: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const { source, entries } = req.body;
      // A token speaks for one reporter: a stolen bastion token cannot write another's entries.
      const tokenName = (req as typeof req & { tokenName?: string }).tokenName;
      if (tokenName !== source) {
        return reply.code(403).send({
          statusCode: 403,
          error: 'Forbidden',
          message: `token "${tokenName}" may post audit events as source "${tokenName}" only, not "${source}": give each bastion its own audit-writer token named after it (steward token create --name ${source} --role audit-writer)`,
        });
      }
      const stored = store.ingestAudit(source, entries);
      const counts = received.get(source) ?? { stored: 0, duplicates: 0 };
      counts.stored += stored;
      counts.duplicates += entries.length - stored;
      received.set(source, counts);
      return { stored, duplicates: entries.length - stored };
    },
  );
  return {
    metricsText() {
      const lines = [
        '# HELP steward_audit_received_total Audit events received from reporters (bastions), stored once each.',
        '# TYPE steward_audit_received_total counter',
        ...[...received].map(([s, c]) => `steward_audit_received_total{source="${s}"} ${c.stored}`),
        '# HELP steward_audit_duplicates_total Re-sent audit events skipped because they were stored already.',
        '# TYPE steward_audit_duplicates_total counter',
        ...[...received].map(([s, c]) => `steward_audit_duplicates_total{source="${s}"} ${c.duplicates}`),
      ];
      return `${lines.join('\n')}\n`;
    },
  };
}

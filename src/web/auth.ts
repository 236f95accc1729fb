import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Store } from '../store/types.ts';
import { type ApiRole, hashToken, roleAllows } from './api-tokens.ts';
import { AUDIT_INGEST_PATH } from './audit/audit-ingest.ts';

const PUBLIC = new Set(['/api/v1/openapi.json']);

function neededRole(req: FastifyRequest): ApiRole {
  if (req.method === 'POST' && req.url.split('?', 1)[0] === AUDIT_INGEST_PATH) return 'audit-writer';
  if (req.method === 'GET' || req.method === 'HEAD') return 'viewer';
  if (req.url.startsWith('/api/v1/reload') || req.url.startsWith('/api/v1/audit')) return 'admin';
  return 'operator';
}

/**
 * Bearer-token authentication for /api/v1: tokens are looked up by their SHA-256 hash, so the
 * store never holds a usable credential; the role bound to the token decides what it may do.
 */
export function registerApiAuth(app: FastifyInstance, store: Store): void {
  const lastTouched = new Map<number, number>();
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?', 1)[0]!;
    if (!path.startsWith('/api/v1/') || PUBLIC.has(path)) return;
    const header = req.headers.authorization;
    const m = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
    if (!m) {
      return reply.code(401).header('www-authenticate', 'Bearer realm="steward"').send({
        statusCode: 401,
        error: 'Unauthorized',
        message:
          'send "Authorization: Bearer <token>"; create a token with: steward token create --name NAME',
      });
    }
    const token = store.findTokenByHash(hashToken(m[1]!));
    if (!token) {
      req.log.warn({ ip: req.ip }, 'API request with an unknown or revoked token');
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="steward", error="invalid_token"')
        .send({ statusCode: 401, error: 'Unauthorized', message: 'unknown or revoked token' });
    }
    const needed = neededRole(req);
    if (!roleAllows(token.role, needed)) {
      return reply.code(403).send({
        statusCode: 403,
        error: 'Forbidden',
        message: `token "${token.name}" has role ${token.role}; this request needs ${needed}`,
      });
    }
    (req as FastifyRequest & { tokenName?: string }).tokenName = token.name;
    const now = Date.now();
    if ((lastTouched.get(token.id) ?? 0) < now - 60_000) {
      lastTouched.set(token.id, now);
      store.touchToken(token.id, now);
    }
  });
}

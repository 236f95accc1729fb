import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../log/index.ts';
import { audit } from '../audit/audit-log.ts';
import type { ApiContext } from '../routes/context.ts';
import type { ActiveSession, Sessions } from '../sessions/sessions.ts';
import type { LoginService } from '../users/login.ts';
import { isAdmin, roleIn } from '../users/roles.ts';
import type { Visibility } from './data.ts';

export interface DashboardContext extends ApiContext {
  sessions: Sessions;
  login: LoginService;
  logger: Logger;
}

/**
 * The signed-in session, or null after answering: pages redirect to /login, data endpoints get 401.
 * A session that has only passed the password step counts as not signed in.
 */
export function requireSession(
  ctx: DashboardContext,
  req: FastifyRequest,
  reply: FastifyReply,
  kind: 'page' | 'api',
): ActiveSession | null {
  const s = ctx.sessions.read(req);
  if (s && s.record.stage === 'full') return s;
  if (kind === 'page') void reply.redirect(s ? '/enrol' : '/login', 303);
  else void reply.code(401).send({ statusCode: 401, error: 'Unauthorized', message: 'sign in at /login' });
  return null;
}

export function visibility(s: ActiveSession): Visibility {
  return (environment) => roleIn(s.user.roles, environment) !== null;
}

export function shellUser(s: ActiveSession) {
  return { name: s.user.name, admin: isAdmin(s.user.roles), csrf: s.record.csrfToken };
}

/**
 * A 404 for what the user may not see (or what does not exist: the answer is the same, so it
 * tells nothing); seeing into another environment is audited.
 */
export function notVisible(
  ctx: DashboardContext,
  s: ActiveSession,
  req: FastifyRequest,
  reply: FastifyReply,
  obj: { id: string; environment: string } | undefined,
  message: string,
): FastifyReply {
  if (obj) {
    audit(ctx.store, {
      actor: s.user.name,
      action: 'view',
      target: obj.id,
      outcome: 'refused',
      ip: req.ip,
      details: { reason: `no role in environment ${obj.environment}` },
    });
  }
  return reply.code(404).send({ statusCode: 404, error: 'Not Found', message });
}

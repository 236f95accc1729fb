import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from '../../log/index.ts';
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

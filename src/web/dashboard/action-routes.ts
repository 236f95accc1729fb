import type { FastifyInstance } from 'fastify';
import { checkSilence } from '../../alerting/silence-input.ts';
import { parseDuration } from '../../core/index.ts';
import { audit } from '../audit/audit-log.ts';
import { csrfOk } from '../sessions/sessions.ts';
import { mayIn } from '../users/roles.ts';
import { type DashboardContext, requireSession } from './context.ts';

interface ActionBody {
  action?: string;
  id?: string;
  comment?: string;
  sticky?: boolean;
  duration?: string;
  includeServices?: boolean;
}

const ACTIONS = new Set(['ack', 'unack', 'downtime', 'recheck', 'comment', 'silence']);

/**
 * One endpoint for every action on a host or service. Each request needs the session's CSRF token
 * (X-CSRF-Token) and the operator role in the object's environment; each outcome is audited.
 */
export function actionRoutes(app: FastifyInstance, ctx: DashboardContext): void {
  app.post<{ Body: ActionBody }>('/ui/api/action', { schema: { hide: true } }, async (req, reply) => {
    const s = requireSession(ctx, req, reply, 'api');
    if (!s) return reply;
    const b = req.body ?? {};
    const action = String(b.action ?? '');
    const target = String(b.id ?? '');
    const refuse = (status: number, message: string, reason = message) => {
      audit(ctx.store, {
        actor: s.user.name,
        action: action || 'unknown',
        target,
        outcome: 'refused',
        ip: req.ip,
        details: { reason },
      });
      return reply
        .code(status)
        .send({ statusCode: status, error: status === 403 ? 'Forbidden' : 'Bad Request', message });
    };
    if (!csrfOk(req, s.record))
      return refuse(403, 'missing or wrong CSRF token; reload the page', 'missing or wrong CSRF token');
    if (!ACTIONS.has(action))
      return refuse(400, `unknown action "${action}": use ${[...ACTIONS].join(', ')}`);
    const obj = ctx.engine.object(target);
    if (!obj) return refuse(400, `no host or service "${target}"`);
    if (!mayIn(s.user.roles, obj.environment, 'operator')) {
      return refuse(
        403,
        `you may not act on ${obj.environment} (needs role operator there)`,
        `no operator role in environment ${obj.environment}`,
      );
    }
    const comment = String(b.comment ?? '').trim();
    const author = s.user.name;
    let result: Record<string, unknown> = {};
    if (action === 'ack') {
      if (!comment) return refuse(400, 'an acknowledgement needs a comment');
      const r = ctx.engine.acknowledge(obj.id, { type: b.sticky ? 'sticky' : 'normal', author, comment });
      if (!r.ok) return refuse(409, r.error);
    } else if (action === 'unack') {
      result = { removed: ctx.engine.unacknowledge(obj.id, author) };
    } else if (action === 'downtime') {
      const ms = parseDuration(String(b.duration ?? '2h'));
      if (ms === null || ms <= 0)
        return refuse(400, `duration "${b.duration}" is not a duration: write e.g. 30m, 2h, 1d`);
      if (!comment) return refuse(400, 'a downtime needs a comment');
      const now = Date.now();
      const ids = [obj.id];
      if (obj.kind === 'host' && b.includeServices) {
        for (const o of ctx.engine.objects()) if (o.kind === 'service' && o.host === obj.name) ids.push(o.id);
      }
      const created = ids.map((objectId) =>
        ctx.engine.scheduleDowntime({
          objectId,
          includeServices: false,
          start: now,
          end: now + ms,
          fixed: true,
          durationMs: ms,
          author,
          comment,
        }),
      );
      result = { downtimes: created.map((d) => d.id) };
    } else if (action === 'recheck') {
      if (!ctx.engine.recheck(obj.id)) return refuse(400, `"${obj.id}" has no active check to run`);
    } else if (action === 'silence') {
      // Mutes this object's notifications (alerting matches silences on alert labels); checks go on.
      const ms = parseDuration(String(b.duration ?? '2h'));
      if (ms === null || ms <= 0)
        return refuse(400, `duration "${b.duration}" is not a duration: write e.g. 30m, 2h, 1d`);
      const now = Date.now();
      const matchers: Record<string, string> = {
        environment: obj.environment,
        host: obj.kind === 'host' ? obj.name : obj.host,
        kind: obj.kind,
        ...(obj.kind === 'service' ? { service: obj.name } : {}),
      };
      const checked = checkSilence({ matchers, startsAt: now, endsAt: now + ms, author, comment }, now);
      if ('error' in checked) return refuse(400, checked.error);
      result = { silence: ctx.store.addSilence(checked.silence).id };
    } else if (action === 'comment') {
      if (!comment) return refuse(400, 'the comment is empty');
      result = { comment: ctx.engine.addComment(obj.id, author, comment).id };
    }
    audit(ctx.store, {
      actor: author,
      action,
      target: obj.id,
      outcome: 'ok',
      ip: req.ip,
      details: {
        ...(comment ? { comment } : {}),
        ...(b.duration ? { duration: b.duration } : {}),
        ...result,
      },
    });
    return { ok: true, ...result };
  });
}

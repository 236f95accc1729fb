import type { FastifyReply, FastifyRequest } from 'fastify';
import { serviceId } from '../../core/index.ts';
import {
  type CheckedModel,
  type Engine,
  hostView,
  type ReloadReport,
  serviceView,
} from '../../engine/index.ts';
import type { Store } from '../../store/types.ts';

/** What every route module gets. */
export interface ApiContext {
  engine: Engine;
  store: Store;
  /** Re-reads the spec and applies it (or refuses it); absent when the server has no spec file. */
  reload?: () => Promise<ReloadReport>;
}

export function targetId(host: string, service?: string): string {
  return service ? serviceId(host, service) : host;
}

/** Finds the addressed host or service, or answers 404 with what exists. */
export function findTarget(
  ctx: ApiContext,
  reply: FastifyReply,
  host: string,
  service?: string,
): CheckedModel | null {
  const obj = ctx.engine.object(targetId(host, service));
  if (obj) return obj;
  const what = service ? `service "${service}" on host "${host}"` : `host "${host}"`;
  const hint = ctx.engine.object(host)
    ? `GET /api/v1/services?host=${encodeURIComponent(host)} lists its services`
    : 'GET /api/v1/hosts lists the hosts';
  void reply
    .code(404)
    .send({ statusCode: 404, error: 'Not Found', message: `no ${what} in the spec; ${hint}` });
  return null;
}

/** The acting user: the token's name (actions are attributed to who did them). */
export function actor(req: FastifyRequest): string {
  return (req as FastifyRequest & { tokenName?: string }).tokenName ?? 'anonymous';
}

/** The API view of a host or service as it is now. */
export function objectView(engine: Engine, obj: CheckedModel) {
  const status = engine.status(obj.id)!;
  if (obj.kind === 'service') return serviceView(obj, status);
  const services = [];
  for (const o of engine.objects()) {
    if (o.kind === 'service' && o.host === obj.name) {
      const s = engine.status(o.id);
      if (s) services.push(s);
    }
  }
  return hostView(obj, status, services);
}

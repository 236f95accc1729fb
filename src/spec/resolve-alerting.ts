/**
 * The `alerting:` section → AlertingModel: durations in ms, defaults applied (Alertmanager's group
 * timings), the default routes when none are written (production pages, the rest goes to chat).
 */
import type {
  AlertingModel,
  NotifyKind,
  ReceiverModel,
  RouteModel,
  TimePeriodModel,
} from '../core/alerting-model.ts';
import { parseDuration } from '../core/duration.ts';
import type { AlertingSpec, RouteSpec } from './schema/alerting.ts';

export const ALERTING_DEFAULTS = {
  groupWait: '30s',
  groupInterval: '5m',
  repeatInterval: '4h',
  firstNotificationDelay: '0s',
  timeout: '10s',
  watchdogInterval: '1m',
} as const;

/** Environments whose problems page by default (without `routes`). */
export const PRODUCTION_ENVIRONMENTS = '~prod|production|prd';

const ms = (text: string) => parseDuration(text) ?? 0;
const DAY_NUMBERS: Record<string, number> = { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 };

function minutes(clock: string): number {
  const [h, m] = clock.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

function receiverModel(r: AlertingSpec['receivers'][number]): ReceiverModel {
  const base: { name: string; timeoutMs: number; notifyOn?: NotifyKind[] } = {
    name: r.name,
    timeoutMs: ms(r.timeout ?? ALERTING_DEFAULTS.timeout),
  };
  if (r.notifyOn) base.notifyOn = [...new Set(r.notifyOn)];
  if (r.email) {
    const e = r.email;
    const secure = e.secure ?? false;
    const email: Extract<ReceiverModel, { kind: 'email' }>['email'] = {
      to: Array.isArray(e.to) ? e.to : [e.to],
      from: e.from,
      host: e.host,
      port: e.port ?? (secure ? 465 : 587),
      secure,
      requireTls: e.requireTls ?? true,
      insecure: e.insecure ?? false,
    };
    if (e.username !== undefined) email.username = e.username;
    if (e.password !== undefined) email.password = e.password;
    return { ...base, kind: 'email', email };
  }
  if (r.slack) return { ...base, kind: 'slack', slack: { ...r.slack } };
  if (r.teams) return { ...base, kind: 'teams', teams: { ...r.teams } };
  if (r.pagerduty) {
    return {
      ...base,
      kind: 'pagerduty',
      pagerduty: {
        routingKey: r.pagerduty.routingKey,
        url: r.pagerduty.url ?? 'https://events.pagerduty.com/v2/enqueue',
      },
    };
  }
  if (r.opsgenie) {
    return {
      ...base,
      kind: 'opsgenie',
      opsgenie: { apiKey: r.opsgenie.apiKey, url: r.opsgenie.url ?? 'https://api.opsgenie.com' },
    };
  }
  if (r.webhook) return { ...base, kind: 'webhook', webhook: { ...r.webhook } };
  const c = r.command!;
  return { ...base, kind: 'command', command: { command: c.command, args: c.args ?? [] } };
}

function routeModel(spec: RouteSpec, parent: RouteModel): RouteModel {
  const route: RouteModel = {
    receiver: spec.receiver ?? parent.receiver,
    match: spec.match ?? {},
    groupBy: spec.groupBy ?? parent.groupBy,
    groupWaitMs: spec.groupWait === undefined ? parent.groupWaitMs : ms(spec.groupWait),
    groupIntervalMs: spec.groupInterval === undefined ? parent.groupIntervalMs : ms(spec.groupInterval),
    repeatIntervalMs: spec.repeatInterval === undefined ? parent.repeatIntervalMs : ms(spec.repeatInterval),
    firstNotificationDelayMs:
      spec.firstNotificationDelay === undefined
        ? parent.firstNotificationDelayMs
        : ms(spec.firstNotificationDelay),
    activeTimePeriods: spec.activeTimePeriods ?? parent.activeTimePeriods,
    escalations: (spec.escalations ?? []).map((e) => {
      const out: RouteModel['escalations'][number] = { receiver: e.receiver };
      if (e.afterNotifications !== undefined) out.afterNotifications = e.afterNotifications;
      if (e.after !== undefined) out.afterMs = ms(e.after);
      return out;
    }),
    continue: spec.continue ?? false,
    routes: [],
  };
  const notifyOn = spec.notifyOn ?? parent.notifyOn;
  if (notifyOn) route.notifyOn = [...new Set(notifyOn)];
  route.routes = (spec.routes ?? []).map((child) => routeModel(child, route));
  return route;
}

export function resolveAlerting(spec: AlertingSpec): AlertingModel {
  const root: RouteModel = {
    receiver:
      spec.receiver ?? spec.chat ?? spec.page ?? (spec.receivers.length === 1 ? spec.receivers[0]!.name : ''),
    match: {},
    groupBy: spec.groupBy ?? ['environment', 'alertname'],
    groupWaitMs: ms(spec.groupWait ?? ALERTING_DEFAULTS.groupWait),
    groupIntervalMs: ms(spec.groupInterval ?? ALERTING_DEFAULTS.groupInterval),
    repeatIntervalMs: ms(spec.repeatInterval ?? ALERTING_DEFAULTS.repeatInterval),
    firstNotificationDelayMs: ms(spec.firstNotificationDelay ?? ALERTING_DEFAULTS.firstNotificationDelay),
    activeTimePeriods: [],
    escalations: [],
    continue: false,
    routes: [],
  };
  if (spec.notifyOn) root.notifyOn = [...new Set(spec.notifyOn)];
  let routes: RouteSpec[] | undefined = spec.routes;
  if (routes === undefined && spec.page !== undefined) {
    // The default: production problems page, everything else goes to chat (the root receiver).
    routes = [{ receiver: spec.page, match: { environment: PRODUCTION_ENVIRONMENTS } }];
  }
  root.routes = (routes ?? []).map((r) => routeModel(r, root));
  const timePeriods: TimePeriodModel[] = (spec.timePeriods ?? []).map((p) => ({
    name: p.name,
    timeZone: p.timeZone,
    ranges: p.times.map((t) => ({
      days: t.days === undefined ? [0, 1, 2, 3, 4, 5, 6] : t.days.map((d) => DAY_NUMBERS[d]!),
      startMinute: minutes(t.start),
      endMinute: minutes(t.end),
    })),
  }));
  const model: AlertingModel = {
    receivers: spec.receivers.map(receiverModel),
    route: root,
    inhibitRules: (spec.inhibitRules ?? []).map((r) => ({
      sourceMatch: r.sourceMatch,
      targetMatch: r.targetMatch,
      equal: r.equal ?? [],
    })),
    timePeriods,
    externalUrl: spec.externalUrl ?? 'https://127.0.0.1:8443',
  };
  if (spec.watchdog) {
    model.watchdog = {
      receiver: spec.watchdog.receiver,
      intervalMs: ms(spec.watchdog.interval ?? ALERTING_DEFAULTS.watchdogInterval),
    };
  }
  return model;
}

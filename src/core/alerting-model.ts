/**
 * The resolved `alerting:` section: receivers, the routing tree, inhibition, time periods and the
 * watchdog, with durations in ms and defaults applied. src/alerting consumes only this.
 */

/**
 * Kinds of notifications a route or receiver can choose (Nagios' notification_options): problem
 * (a HARD problem, its repeats and escalations), recovery (also: "moved" when the alert leaves a
 * route), flapping (start/stop/disabled), downtime (start/end/cancelled), acknowledgement.
 */
export const NOTIFY_KINDS = ['problem', 'recovery', 'flapping', 'downtime', 'acknowledgement'] as const;
export type NotifyKind = (typeof NOTIFY_KINDS)[number];

/** label → exact value, or `~regex` (anchored, like Alertmanager's =~). */
export type LabelMatch = Record<string, string>;

export interface EmailReceiverConfig {
  to: string[];
  from: string;
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when offered (required when requireTls). */
  secure: boolean;
  requireTls: boolean;
  /** Accept a certificate that does not verify (self-signed test servers). */
  insecure: boolean;
  username?: string;
  password?: string;
}

export interface SlackReceiverConfig {
  url: string;
  channel?: string;
}

export interface TeamsReceiverConfig {
  url: string;
}

export interface PagerDutyReceiverConfig {
  routingKey: string;
  /** Events API v2 endpoint (default https://events.pagerduty.com/v2/enqueue). */
  url: string;
}

export interface OpsgenieReceiverConfig {
  apiKey: string;
  /** API base (default https://api.opsgenie.com; EU: https://api.eu.opsgenie.com). */
  url: string;
}

export interface WebhookReceiverConfig {
  url: string;
  secret?: string;
}

export interface CommandReceiverConfig {
  command: string;
  args: string[];
}

export type ReceiverModel = {
  name: string;
  timeoutMs: number;
  /** What it gets when the route does not say; unset = the default of its kind (notifyKindsOf). */
  notifyOn?: NotifyKind[];
} & (
  | { kind: 'email'; email: EmailReceiverConfig }
  | { kind: 'slack'; slack: SlackReceiverConfig }
  | { kind: 'teams'; teams: TeamsReceiverConfig }
  | { kind: 'pagerduty'; pagerduty: PagerDutyReceiverConfig }
  | { kind: 'opsgenie'; opsgenie: OpsgenieReceiverConfig }
  | { kind: 'webhook'; webhook: WebhookReceiverConfig }
  | { kind: 'command'; command: CommandReceiverConfig }
);

export type ReceiverKind = ReceiverModel['kind'];

export interface EscalationModel {
  receiver: string;
  /** Escalate once the alert has been notified this many times... */
  afterNotifications?: number;
  /** ...or has stayed unacknowledged this long (ms since the problem started). */
  afterMs?: number;
}

export interface RouteModel {
  /** The receiver; inherited from the parent route when not set. */
  receiver: string;
  match: LabelMatch;
  groupBy: string[];
  groupWaitMs: number;
  groupIntervalMs: number;
  /** Re-notification interval of a group that still fires and has not changed. */
  repeatIntervalMs: number;
  /** Nagios' first_notification_delay: a problem must last this long before it notifies. */
  firstNotificationDelayMs: number;
  /** Names of time periods in which notifications go out; empty = always. */
  activeTimePeriods: string[];
  escalations: EscalationModel[];
  /** What this route's receiver gets (inherited by child routes); unset = the receiver decides. */
  notifyOn?: NotifyKind[];
  continue: boolean;
  routes: RouteModel[];
}

export interface TimeRangeModel {
  /** 0 = Sunday ... 6 = Saturday. */
  days: number[];
  /** Minutes since midnight, start inclusive, end exclusive; end may be 1440. */
  startMinute: number;
  endMinute: number;
}

export interface TimePeriodModel {
  name: string;
  /** IANA time zone, e.g. Europe/Berlin. */
  timeZone: string;
  ranges: TimeRangeModel[];
}

export interface InhibitRuleModel {
  /** An alert matching source (and firing)... */
  sourceMatch: LabelMatch;
  /** ...mutes alerts matching target... */
  targetMatch: LabelMatch;
  /** ...that have the same values for these labels. */
  equal: string[];
}

export interface WatchdogModel {
  receiver: string;
  intervalMs: number;
}

export interface AlertingModel {
  receivers: ReceiverModel[];
  /** The root of the routing tree; its receiver is the fallback for alerts no child matches. */
  route: RouteModel;
  inhibitRules: InhibitRuleModel[];
  timePeriods: TimePeriodModel[];
  watchdog?: WatchdogModel;
  /** Base URL of the dashboard, for links in messages. */
  externalUrl: string;
}

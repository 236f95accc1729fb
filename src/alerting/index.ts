/**
 * Alerting: routes, grouping, inhibition, silences, escalations and time periods as pure functions
 * (alert.ts, routing.ts, grouping.ts, inhibition.ts, silences.ts, time-period.ts, retry-policy.ts,
 * notification-kinds.ts, event-notifications.ts), event-outbox.ts for acknowledgement, flapping and
 * downtime notifications,
 * and the dispatcher that follows the engine and fills the durable outbox the deliverer empties.
 */
export { type AlertRecord, alertLabels, isHardProblem, severityOf, summaryOf } from './alert.ts';
export { AlertDispatcher, type DispatcherOptions, specialNotification } from './dispatcher.ts';
export {
  addToBatch,
  type EventBatch,
  type EventFacts,
  eventBatchDedupKey,
  eventBlockedReason,
} from './event-notifications.ts';
export {
  type AlertGroup,
  applyFlush,
  dueEscalations,
  type FlushPlan,
  hasLeft,
  isEscalationKey,
  newGroup,
  planFlush,
  reroute,
} from './grouping.ts';
export { type InhibitionSource, inhibitedBy } from './inhibition.ts';
export { matchesLabels, matchesValue } from './label-match.ts';
export {
  alertDetail,
  alertWord,
  commonLabelsOf,
  type Notification,
  type NotifiedAlert,
  notificationText,
  notificationTitle,
} from './notification.ts';
export {
  defaultNotifyOn,
  EVENT_NOTIFICATION_TYPES,
  type EventNotificationType,
  isEventNotificationType,
  nagiosNotificationType,
  notifyKindOfEvent,
  notifyKindsOf,
} from './notification-kinds.ts';
export { type DelivererOptions, OutboxDeliverer } from './outbox-deliverer.ts';
export { DEFAULT_RETRY, parseRetryAfter, type RetryPolicy, retryDelayMs } from './retry-policy.ts';
export { groupKeyOf, groupLabelsOf, type MatchedRoute, matchRoutes } from './routing.ts';
export { checkSilence, parseMatchers, type SilenceRequest } from './silence-input.ts';
export { silencedBy } from './silences.ts';
export { inActivePeriods, inTimePeriod, localTime } from './time-period.ts';

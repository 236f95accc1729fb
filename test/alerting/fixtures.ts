/** Plain data the pure-logic tests of alerting share. */
import type { AlertRecord } from '../../src/alerting/index.ts';

/** A firing CRITICAL service alert of object `id` ("host/service"), not yet notified. */
export function alertRecord(id: string, extra: Partial<AlertRecord> = {}): AlertRecord {
  return {
    objectId: id,
    problemId: `p/${id}`,
    kind: 'service',
    labels: { environment: 'prod', host: id.split('/')[0]! },
    summary: `CRITICAL: ${id}`,
    output: 'down',
    state: 2,
    status: 'firing',
    startsAt: 0,
    endsAt: null,
    acknowledged: false,
    blockedReason: null,
    notificationNumber: 0,
    notifiedGroups: [],
    lastNotifiedAt: null,
    ...extra,
  };
}

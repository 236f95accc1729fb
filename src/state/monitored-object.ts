import type { HostModel, MonitoringEvent, ObjectStatus, ServiceModel } from '../core/index.ts';

/** A host or a service: the two kinds of object the state engine keeps a status for. */
export type MonitoredObject = HostModel | ServiceModel;

/** A new status and the history entries that explain how it came about. */
export interface StatusChange {
  status: ObjectStatus;
  events: MonitoringEvent[];
}

/** The identity fields every event about this object carries. */
export function eventSubject(
  obj: MonitoredObject,
): Pick<MonitoringEvent, 'objectId' | 'kind' | 'host' | 'service' | 'environment'> {
  return {
    objectId: obj.id,
    kind: obj.kind,
    host: obj.kind === 'host' ? obj.name : obj.host,
    service: obj.kind === 'host' ? null : obj.name,
    environment: obj.environment,
  };
}

/** The state that means "no problem": OK for services, UP for hosts; both are 0. */
export const NO_PROBLEM = 0;

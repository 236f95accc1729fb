/**
 * The check kinds a check can have, by key. A check has exactly one of these keys. To add a kind:
 * write its file (schema + toProbe) and add it here.
 */
import type { z } from 'zod';
import type { CheckKind } from './check-kind.ts';
import { httpCheck } from './http.ts';
import { jvmCheck } from './jvm.ts';
import { nrpeCheck } from './nrpe.ts';
import { passiveCheck } from './passive.ts';
import { pluginCheck } from './plugin.ts';
import { prometheusCheck } from './prometheus.ts';
import { snmpCheck } from './snmp.ts';
import { tcpCheck } from './tcp.ts';

export const CHECK_KINDS = {
  plugin: pluginCheck,
  tcp: tcpCheck,
  http: httpCheck,
  passive: passiveCheck,
  nrpe: nrpeCheck,
  snmp: snmpCheck,
  prometheus: prometheusCheck,
  jvm: jvmCheck,
};

export type CheckKindKey = keyof typeof CHECK_KINDS;
export const CHECK_KIND_KEYS = Object.keys(CHECK_KINDS) as CheckKindKey[];

type KindShape = { [K in CheckKindKey]: z.ZodOptional<(typeof CHECK_KINDS)[K]['schema']> };

/** The kind keys as optional keys of the check object; which one is present is checked separately. */
export function checkKindShape(): KindShape {
  const shape: Partial<Record<CheckKindKey, z.ZodType>> = {};
  for (const key of CHECK_KIND_KEYS) shape[key] = CHECK_KINDS[key].schema.optional();
  return shape as KindShape;
}

export function checkKind(key: CheckKindKey): CheckKind<z.ZodType> {
  return CHECK_KINDS[key] as CheckKind<z.ZodType>;
}

export type { CheckKind, ProbeContext } from './check-kind.ts';

import { fetchText } from '../fetch-text.ts';

/** What one Jolokia read gives the JVM probe. */
export type JolokiaReading =
  | { ok: true; heapUsedBytes?: number; heapMaxBytes?: number; gcMillis?: number; threads?: number }
  | { ok: false; error: string; timedOut?: boolean };

/** The MBean attribute read for each metric (Jolokia's GET read URL: /read/<mbean>/<attribute>). */
const READS = {
  heap: 'java.lang:type=Memory/HeapMemoryUsage',
  gcTime: 'java.lang:type=GarbageCollector,name=*/CollectionTime',
  threads: 'java.lang:type=Threading/ThreadCount',
} as const;

/**
 * Reads one JVM metric from a Jolokia agent (its documented JSON: { value, status, error }). The
 * heap's maximum is `max`, or `committed` when the JVM has no limit (-1).
 */
export async function readJolokia(
  baseUrl: string,
  metric: keyof typeof READS,
  opts: { timeoutMs: number; insecure: boolean; signal?: AbortSignal },
): Promise<JolokiaReading> {
  const url = `${baseUrl.replace(/\/+$/, '')}/read/${READS[metric]}`;
  const fetched = await fetchText(url, { ...opts, accept: 'application/json' });
  if (!fetched.ok) return fetched;
  if (fetched.status === 401 || fetched.status === 403) {
    return {
      ok: false,
      error: `${url} refused access (HTTP ${fetched.status}): put the agent's user and password in the URL (https://user:\${PASSWORD}@host:8778/jolokia)`,
    };
  }
  let body: { status?: number; value?: unknown; error?: string };
  try {
    body = JSON.parse(fetched.body);
  } catch {
    return {
      ok: false,
      error: `${url} answered HTTP ${fetched.status} with something that is not Jolokia JSON`,
    };
  }
  if (body.status !== 200) {
    return {
      ok: false,
      error: `Jolokia at ${url} says ${body.status ?? fetched.status}: ${body.error ?? 'no error text'}`,
    };
  }
  const value = body.value;
  if (metric === 'heap') {
    const heap = value as { used?: number; max?: number; committed?: number };
    if (typeof heap?.used !== 'number')
      return { ok: false, error: `Jolokia at ${url} gave no HeapMemoryUsage.used` };
    const max = typeof heap.max === 'number' && heap.max > 0 ? heap.max : heap.committed;
    return { ok: true, heapUsedBytes: heap.used, heapMaxBytes: max };
  }
  if (metric === 'threads') {
    return typeof value === 'number'
      ? { ok: true, threads: value }
      : { ok: false, error: `Jolokia at ${url} gave no ThreadCount` };
  }
  // A wildcard read: { "<mbean name>": { CollectionTime: ms }, ... }, one per collector.
  let total = 0;
  for (const attributes of Object.values((value ?? {}) as Record<string, { CollectionTime?: number }>)) {
    if (typeof attributes?.CollectionTime === 'number') total += attributes.CollectionTime;
  }
  return { ok: true, gcMillis: total };
}

import type { PerfDatum } from '../core/index.ts';
import type { Sample } from '../store/types.ts';

/** The series name every perfdata value is stored under; labels say whose value it is. */
export const PERFDATA_SERIES = 'perfdata';

/**
 * Perfdata becomes time series: one series per (environment, host, service, perfdata label).
 * Values are stored as the plugin reported them, in its unit.
 */
export function perfdataSamples(
  perfdata: PerfDatum[],
  who: { environment: string; host: string; service: string },
  t: number,
  out: Sample[],
): void {
  for (const p of perfdata) {
    if (!Number.isFinite(p.value)) continue;
    out.push({
      series: {
        name: PERFDATA_SERIES,
        labels: { environment: who.environment, host: who.host, service: who.service, label: p.label },
        unit: p.uom,
      },
      t,
      v: p.value,
    });
  }
}

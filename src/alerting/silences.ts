import type { Silence } from '../store/types.ts';
import { matchesLabels } from './label-match.ts';

/** The silence muting an alert with these labels at `now`, or undefined. */
export function silencedBy(
  labels: Record<string, string>,
  silences: readonly Silence[],
  now: number,
): Silence | undefined {
  return silences.find((s) => s.startsAt <= now && now < s.endsAt && matchesLabels(s.matchers, labels));
}

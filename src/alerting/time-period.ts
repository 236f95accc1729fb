import type { TimePeriodModel } from '../core/alerting-model.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();
const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };

/** Day of week and minute of day at `now` in a time zone (Intl: DST handled by the zone database). */
export function localTime(now: number, timeZone: string): { day: number; minute: number } {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  let day = 0;
  let hour = 0;
  let minute = 0;
  for (const part of f.formatToParts(now)) {
    if (part.type === 'weekday') day = WEEKDAYS[part.value] ?? 0;
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
  }
  return { day, minute: hour * 60 + minute };
}

export function inTimePeriod(period: TimePeriodModel, now: number): boolean {
  const { day, minute } = localTime(now, period.timeZone);
  return period.ranges.some((r) => r.days.includes(day) && r.startMinute <= minute && minute < r.endMinute);
}

/** Inside at least one of the named periods; no names means always. */
export function inActivePeriods(names: string[], periods: TimePeriodModel[], now: number): boolean {
  if (names.length === 0) return true;
  return names.some((name) => {
    const period = periods.find((p) => p.name === name);
    return period !== undefined && inTimePeriod(period, now);
  });
}

/**
 * Cron schedules with a time zone: the five classic fields (minute hour day-of-month month
 * day-of-week) with lists, ranges, steps and names, or @hourly/@daily/@weekly/@monthly/@yearly.
 * As in Vixie cron, when both day-of-month and day-of-week are restricted a day matching either
 * one fires. Times are wall-clock times in the schedule's IANA time zone; a time skipped by a
 * daylight-saving jump fires as if the clock had not jumped (02:30 → 03:30), a repeated one fires once.
 */

export interface CronSchedule {
  /** The text as written, for messages. */
  text: string;
  timeZone: string;
  minutes: Set<number>;
  hours: Set<number>;
  daysOfMonth: Set<number>;
  months: Set<number>;
  /** 0 = Sunday … 6 = Saturday. */
  daysOfWeek: Set<number>;
  /** Whether day-of-month / day-of-week were restricted (not `*`): decides the OR rule. */
  domRestricted: boolean;
  dowRestricted: boolean;
}

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldRule {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of the first name (months start at 1, days at 0). */
  nameBase?: number;
}

const FIELDS: FieldRule[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, nameBase: 1 },
  // 7 is accepted for Sunday as most crons do.
  { name: 'day-of-week', min: 0, max: 7, names: DAY_NAMES, nameBase: 0 },
];

export class CronError extends Error {}

function atom(text: string, rule: FieldRule): number {
  const lower = text.toLowerCase();
  const named = rule.names?.indexOf(lower) ?? -1;
  if (named >= 0) return named + (rule.nameBase ?? 0);
  if (!/^\d+$/.test(text)) throw new CronError(`${rule.name} "${text}" is not a number`);
  const n = Number(text);
  if (n < rule.min || n > rule.max)
    throw new CronError(`${rule.name} ${n} is out of range ${rule.min}-${rule.max}`);
  return n;
}

function parseField(text: string, rule: FieldRule): Set<number> {
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (range === undefined || range === '' || extra !== undefined)
      throw new CronError(`${rule.name} "${part}" is not a value, range or step`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) === 0)
        throw new CronError(`${rule.name} step "${stepText}" must be a positive number`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (range === '*') {
      from = rule.min;
      to = rule.name === 'day-of-week' ? 6 : rule.max;
    } else if (range.includes('-')) {
      const [a, b] = range.split('-');
      from = atom(a ?? '', rule);
      to = atom(b ?? '', rule);
      if (to < from) throw new CronError(`${rule.name} range "${range}" runs backwards`);
    } else {
      from = atom(range, rule);
      to = stepText === undefined ? from : rule.name === 'day-of-week' ? 6 : rule.max;
    }
    for (let v = from; v <= to; v += step) values.add(rule.name === 'day-of-week' ? v % 7 : v);
  }
  return values;
}

function checkTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new CronError(`unknown time zone "${timeZone}" (use an IANA name such as Europe/Amsterdam or UTC)`);
  }
}

/** Parses a cron expression; throws CronError saying which field is wrong. */
export function parseCron(text: string, timeZone = 'UTC'): CronSchedule {
  checkTimeZone(timeZone);
  const expanded = MACROS[text.trim().toLowerCase()] ?? text.trim();
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5)
    throw new CronError(
      `"${text}" has ${fields.length} field(s); a cron schedule has 5: minute hour day-of-month month day-of-week (or @daily, @hourly ...)`,
    );
  const [minutes, hours, dom, months, dow] = fields.map((f, i) => parseField(f, FIELDS[i]!)) as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  return {
    text,
    timeZone,
    minutes,
    hours,
    daysOfMonth: dom,
    months,
    daysOfWeek: dow,
    domRestricted: fields[2] !== '*',
    dowRestricted: fields[4] !== '*',
  };
}

/** The error message for a bad schedule, or null when it is valid. */
export function cronProblem(text: string, timeZone = 'UTC'): string | null {
  try {
    parseCron(text, timeZone);
    return null;
  } catch (err) {
    if (err instanceof CronError) return err.message;
    throw err;
  }
}

interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallTimeAt(epochMs: number, timeZone: string): WallTime {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(epochMs)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
  };
}

/** Offset (ms) of the zone from UTC at an instant. */
function offsetAt(epochMs: number, timeZone: string): number {
  const w = wallTimeAt(epochMs, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  return asUtc - Math.floor(epochMs / 60_000) * 60_000;
}

/**
 * The instant a wall-clock time happens in the zone. A time that does not exist (DST gap) maps to
 * the instant just after the gap; a time that happens twice maps to the first.
 */
function instantOf(w: WallTime, timeZone: string): number {
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  // Two candidates: with the offset before and after a possible transition; take the earliest that matches.
  const candidates = [
    asUtc - offsetAt(asUtc - 86_400_000, timeZone),
    asUtc - offsetAt(asUtc + 86_400_000, timeZone),
  ];
  const matching = candidates.filter((t) => {
    const back = wallTimeAt(t, timeZone);
    return Date.UTC(back.year, back.month - 1, back.day, back.hour, back.minute) === asUtc;
  });
  if (matching.length > 0) return Math.min(...matching);
  // In a gap: as if the clock had not jumped (02:30 in a 02:00→03:00 spring gap fires at 03:30).
  return candidates[0]!;
}

function dayMatches(s: CronSchedule, year: number, month: number, day: number): boolean {
  if (!s.months.has(month)) return false;
  const dow = new Date(Date.UTC(year, month - 1, day)).getUTCDay();
  const domOk = s.daysOfMonth.has(day);
  const dowOk = s.daysOfWeek.has(dow);
  if (s.domRestricted && s.dowRestricted) return domOk || dowOk;
  if (s.domRestricted) return domOk;
  if (s.dowRestricted) return dowOk;
  return true;
}

const sorted = (set: Set<number>) => [...set].sort((a, b) => a - b);

/** The first instant strictly after `afterMs` at which the schedule fires, or null within 5 years. */
export function nextRun(s: CronSchedule, afterMs: number): number | null {
  const start = wallTimeAt(afterMs, s.timeZone);
  const hours = sorted(s.hours);
  const minutes = sorted(s.minutes);
  // Walk calendar days in the zone's wall time, from the day of `afterMs` (a day before, for DST edges).
  const first = Date.UTC(start.year, start.month - 1, start.day) - 86_400_000;
  const startWall = Date.UTC(start.year, start.month - 1, start.day, start.hour, start.minute);
  for (let d = 0; d < 366 * 5 + 2; d++) {
    const date = new Date(first + d * 86_400_000);
    const year = date.getUTCFullYear();
    const month = date.getUTCMonth() + 1;
    const day = date.getUTCDate();
    if (!dayMatches(s, year, month, day)) continue;
    for (const hour of hours) {
      for (const minute of minutes) {
        // Wall times well before the start cannot be after it (zone offsets move by hours at most).
        if (Date.UTC(year, month - 1, day, hour, minute) < startWall - 4 * 3_600_000) continue;
        const at = instantOf({ year, month, day, hour, minute }, s.timeZone);
        if (at > afterMs) return at;
      }
    }
  }
  return null;
}

/**
 * The longest time between two consecutive runs over the coming year: how long a result may be
 * missing before the job is overdue (monthly jobs: 31 days; "0 2 * * 1-5": 3 days).
 */
export function longestGap(s: CronSchedule, fromMs: number): number {
  let previous = nextRun(s, fromMs);
  if (previous === null) return Number.POSITIVE_INFINITY;
  let longest = 0;
  const horizon = fromMs + 366 * 86_400_000;
  // Sample a bounded number of runs: patterns repeat weekly or monthly, and many-times-a-day
  // schedules have short gaps anyway.
  const runs = s.minutes.size * s.hours.size > 24 ? 150 : 500;
  for (let i = 0; i < runs && previous < horizon; i++) {
    const next = nextRun(s, previous);
    if (next === null) break;
    longest = Math.max(longest, next - previous);
    previous = next;
  }
  return longest;
}

// CronJob schedules as Kubernetes reads them: robfig/cron v3's ParseStandard (parser.go), which
// both the API server (kube: batch validateScheduleFormat) and the CronJob controller use. The
// parser is ported here so that exactly the schedules Kubernetes accepts are accepted, with
// robfig's meaning; the schedule times are then computed by cron-parser from an expression this
// module writes for it (`toCronParser`), because the two libraries differ in what they accept
// and mean: cron-parser takes day-of-week 7 (robfig allows 0-6), refuses `0 0 30 2 *` (robfig
// parses it; it never fires), and decides day-of-month/day-of-week AND-or-OR from the text
// (robfig from its star bit: `*` or `?`, unless stepped by more than 1).

/** One field's allowed range and names (kube: robfig bounds seconds ... dow). */
interface Bounds {
  min: number;
  max: number;
  names?: Readonly<Record<string, number>>;
}

const MINUTES: Bounds = { min: 0, max: 59 };
const HOURS: Bounds = { min: 0, max: 23 };
const DOM: Bounds = { min: 1, max: 31 };
const MONTHS: Bounds = { min: 1, max: 12, names: { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 } };
const DOW: Bounds = { min: 0, max: 6, names: { sun: 0, mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6 } };

/** The values a field allows, ascending, and robfig's star bit (`*` or `?`, not stepped by more than 1). */
export interface CronField {
  values: number[];
  star: boolean;
}

/** robfig's SpecSchedule (seconds always 0 in ParseStandard). */
export interface CronSchedule {
  minute: CronField;
  hour: CronField;
  dom: CronField;
  month: CronField;
  dow: CronField;
}

class ParseError extends Error {}

/** kube: robfig mustParseInt (Go strconv.Atoi: optional sign, decimal digits), then >= 0. */
function mustParseInt(expr: string): number {
  if (!/^[+-]?[0-9]+$/.test(expr)) throw new ParseError(`failed to parse int from ${expr}: strconv.Atoi: parsing ${JSON.stringify(expr)}: invalid syntax`);
  const n = Number(expr);
  if (n < 0) throw new ParseError(`negative number (${n}) not allowed: ${expr}`);
  return n;
}

/** kube: robfig parseIntOrName: a name (case-insensitive) of the field, or an integer. */
function parseIntOrName(expr: string, r: Bounds): number {
  const named = r.names?.[expr.toLowerCase()];
  return named ?? mustParseInt(expr);
}

/** kube: robfig getRange: `*` | `?` | number | number-number, then an optional `/step`. Adds to `into`. */
function getRange(expr: string, r: Bounds, into: Set<number>): boolean {
  const rangeAndStep = expr.split('/');
  const lowAndHigh = rangeAndStep[0]!.split('-');
  const singleDigit = lowAndHigh.length === 1;
  let start: number;
  let end: number;
  let star = false;
  if (lowAndHigh[0] === '*' || lowAndHigh[0] === '?') {
    start = r.min;
    end = r.max;
    star = true;
  } else {
    start = parseIntOrName(lowAndHigh[0]!, r);
    if (lowAndHigh.length === 1) end = start;
    else if (lowAndHigh.length === 2) end = parseIntOrName(lowAndHigh[1]!, r);
    else throw new ParseError(`too many hyphens: ${expr}`);
  }
  let step = 1;
  if (rangeAndStep.length === 2) {
    step = mustParseInt(rangeAndStep[1]!);
    // "N/step" means "N-max/step".
    if (singleDigit) end = r.max;
    if (step > 1) star = false;
  } else if (rangeAndStep.length > 2) {
    throw new ParseError(`too many slashes: ${expr}`);
  }
  if (start < r.min) throw new ParseError(`beginning of range (${start}) below minimum (${r.min}): ${expr}`);
  if (end > r.max) throw new ParseError(`end of range (${end}) above maximum (${r.max}): ${expr}`);
  if (start > end) throw new ParseError(`beginning of range (${start}) beyond end of range (${end}): ${expr}`);
  if (step === 0) throw new ParseError(`step of range should be a positive number: ${expr}`);
  for (let i = start; i <= end; i += step) into.add(i);
  return star;
}

/** kube: robfig getField: comma-separated ranges (empty ones skipped, as strings.FieldsFunc does). */
function getField(field: string, r: Bounds): CronField {
  const values = new Set<number>();
  let star = false;
  for (const expr of field.split(',')) {
    if (expr !== '' && getRange(expr, r, values)) star = true;
  }
  return { values: [...values].sort((a, b) => a - b), star };
}

const range = (r: Bounds, only?: number): CronField => ({
  values: only !== undefined ? [only] : Array.from({ length: r.max - r.min + 1 }, (_, i) => r.min + i),
  star: only === undefined,
});

/** kube: robfig parseDescriptor (all but `@every`, which the caller handles). */
const DESCRIPTORS: Readonly<Record<string, () => CronSchedule>> = {
  '@yearly': () => ({ minute: range(MINUTES, 0), hour: range(HOURS, 0), dom: range(DOM, 1), month: range(MONTHS, 1), dow: range(DOW) }),
  '@monthly': () => ({ minute: range(MINUTES, 0), hour: range(HOURS, 0), dom: range(DOM, 1), month: range(MONTHS), dow: range(DOW) }),
  '@weekly': () => ({ minute: range(MINUTES, 0), hour: range(HOURS, 0), dom: range(DOM), month: range(MONTHS), dow: range(DOW, 0) }),
  '@daily': () => ({ minute: range(MINUTES, 0), hour: range(HOURS, 0), dom: range(DOM), month: range(MONTHS), dow: range(DOW) }),
  '@hourly': () => ({ minute: range(MINUTES, 0), hour: range(HOURS), dom: range(DOM), month: range(MONTHS), dow: range(DOW) }),
};
const ALIASES: Readonly<Record<string, string>> = { '@annually': '@yearly', '@midnight': '@daily' };

/**
 * kube: robfig/cron v3 ParseStandard, without the `TZ=` / `CRON_TZ=` prefix (Kubernetes refuses
 * any schedule containing "TZ") and `@every` (the caller's). O(length of the spec).
 */
export function parseStandard(spec: string): { schedule: CronSchedule } | { error: string } {
  if (spec.length === 0) return { error: 'empty spec string' };
  if (spec.startsWith('@')) {
    const d = DESCRIPTORS[ALIASES[spec] ?? spec];
    return d === undefined ? { error: `unrecognized descriptor: ${spec}` } : { schedule: d() };
  }
  // Go strings.Fields: split on runs of white space, none at either end.
  const fields = spec.split(/\s+/).filter((f) => f !== '');
  if (fields.length !== 5) return { error: `expected exactly 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}: [${fields.join(' ')}]` };
  try {
    const [minute, hour, dom, month, dow] = [MINUTES, HOURS, DOM, MONTHS, DOW].map((b, i) => getField(fields[i]!, b)) as [CronField, CronField, CronField, CronField, CronField];
    return { schedule: { minute, hour, dom, month, dow } };
  } catch (e) {
    if (e instanceof ParseError) return { error: e.message };
    throw e;
  }
}

/** Days in each month, February in a leap year (robfig looks 5 years ahead: one always comes). */
const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

const list = (f: CronField): string => (f.star ? '*' : f.values.join(','));

/**
 * The schedule as a cron-parser expression with robfig's meaning, or null when it never fires.
 * robfig (spec.go dayMatches): when day-of-month or day-of-week has the star bit, a day must match
 * both; otherwise either. cron-parser treats a field as a wildcard only when written `*`, so
 * fields are written as explicit lists, `*` only where robfig has the star bit, which gives the
 * same AND/OR. A field that allows nothing (`,`) never matches; under OR the other day field
 * alone decides (written with a `*` beside it). Under AND, with a day-of-month list, some listed
 * month must have one of the listed days (`0 0 30 2 *` has none: robfig's Next gives up after 5
 * years, and cron-parser refuses the expression).
 */
export function toCronParser(s: CronSchedule): string | null {
  if (s.minute.values.length === 0 || s.hour.values.length === 0 || s.month.values.length === 0) return null;
  let dom = list(s.dom);
  let dow = list(s.dow);
  let domOnly: boolean; // day-of-month decides, day-of-week is written `*`
  if (s.dom.star || s.dow.star) {
    if (s.dom.values.length === 0 || s.dow.values.length === 0) return null;
    domOnly = s.dow.star && !s.dom.star;
  } else {
    if (s.dom.values.length === 0 && s.dow.values.length === 0) return null;
    if (s.dom.values.length === 0) dom = '*';
    if (s.dow.values.length === 0) dow = '*';
    domOnly = s.dow.values.length === 0;
  }
  if (domOnly) {
    const first = s.dom.values[0]!;
    if (!s.month.values.some((m) => first <= MONTH_DAYS[m - 1]!)) return null;
  }
  return `${list(s.minute)} ${list(s.hour)} ${dom} ${list(s.month)} ${dow}`;
}

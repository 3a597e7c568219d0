// Scenario durations: `90s`, `5m`, `1h30m`, `7d`, `2w`, `250ms`, `1.5h`, or a bare number of
// seconds (`90`, `"90"`, `0.5`). Components are summed, as Go's time.ParseDuration does, plus
// the day (`d`, 86400 s) and week (`w`, 604800 s) units that simulation horizons need.
// Durations are never negative.

export type DurationResult = { ok: true; seconds: number } | { ok: false; message: string };

/** Seconds per unit. */
const UNIT_S: Record<string, number> = {
  ns: 1e-9,
  us: 1e-6,
  µs: 1e-6,
  ms: 1e-3,
  s: 1,
  m: 60,
  h: 3600,
  d: 86400,
  w: 604800,
};

const UNITS_HINT = 'use ms, s, m, h, d or w';
const NUMBER = /^(?:\d+(?:\.\d*)?|\.\d+)$/;
const COMPONENT = /(\d+(?:\.\d*)?|\.\d+)([a-zµ]*)/iy;

export function parseDuration(input: unknown): DurationResult {
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return { ok: false, message: `invalid duration ${String(input)}: not a finite number` };
    if (input < 0) return { ok: false, message: `invalid duration ${input}: durations cannot be negative` };
    return { ok: true, seconds: input };
  }
  if (typeof input !== 'string') return { ok: false, message: `invalid duration: expected a string such as "90s" or a number of seconds` };
  const s = input;
  const bad = (why: string): DurationResult => ({ ok: false, message: `invalid duration ${JSON.stringify(s)}: ${why}` });
  if (s.length === 0) return bad('empty');
  if (s.startsWith('-')) return bad('durations cannot be negative');
  if (NUMBER.test(s)) return { ok: true, seconds: Number(s) };

  let total = 0;
  let i = s.startsWith('+') ? 1 : 0;
  if (i === s.length) return bad('expected a number');
  while (i < s.length) {
    COMPONENT.lastIndex = i;
    const m = COMPONENT.exec(s);
    if (m === null) return bad(`unexpected ${JSON.stringify(s.slice(i))}; expected a number followed by a unit (${UNITS_HINT})`);
    const [whole, num, unit] = m as unknown as [string, string, string];
    if (unit === '') return bad(`missing unit after ${num} (${UNITS_HINT})`);
    const perUnit = UNIT_S[unit];
    if (perUnit === undefined) return bad(`unknown unit ${JSON.stringify(unit)} (${UNITS_HINT})`);
    total += Number(num) * perUnit;
    i += whole.length;
  }
  return { ok: true, seconds: total };
}

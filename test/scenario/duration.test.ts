import { describe, expect, test } from 'vitest';
import { parseDuration } from '../../src/scenario/duration.js';

function s(input: unknown): number {
  const r = parseDuration(input);
  if (!r.ok) throw new Error(r.message);
  return r.seconds;
}

function err(input: unknown): string {
  const r = parseDuration(input);
  if (r.ok) throw new Error('parsed');
  return r.message;
}

describe('parseDuration', () => {
  test.each([
    ['90s', 90],
    ['5m', 300],
    ['1h30m', 5400], // 3600 + 1800
    ['7d', 604800], // 7 * 86400
    ['2w', 1209600], // 2 * 604800
    ['250ms', 0.25],
    ['1.5h', 5400],
    ['1d12h', 129600], // 86400 + 43200
    ['90', 90], // a bare number in a string is seconds
    ['0.5', 0.5],
    ['0s', 0],
    ['500us', 0.0005],
  ])('%s = %d s', (input, seconds) => {
    expect(s(input)).toBeCloseTo(seconds, 12);
  });

  test('numbers are seconds', () => {
    expect(s(90)).toBe(90);
    expect(s(0.25)).toBe(0.25);
  });

  test('errors', () => {
    expect(err('7x')).toBe('invalid duration "7x": unknown unit "x" (use ms, s, m, h, d or w)');
    expect(err('1h30')).toBe('invalid duration "1h30": missing unit after 30 (use ms, s, m, h, d or w)');
    expect(err('-5m')).toBe('invalid duration "-5m": durations cannot be negative');
    expect(err(-1)).toBe('invalid duration -1: durations cannot be negative');
    expect(err('')).toBe('invalid duration "": empty');
    expect(err('5 m')).toBe('invalid duration "5 m": missing unit after 5 (use ms, s, m, h, d or w)');
    expect(err('1h-5m')).toBe('invalid duration "1h-5m": unexpected "-5m"; expected a number followed by a unit (use ms, s, m, h, d or w)');
    expect(err('1H')).toBe('invalid duration "1H": unknown unit "H" (use ms, s, m, h, d or w)');
    expect(err(true)).toBe('invalid duration: expected a string such as "90s" or a number of seconds');
  });
});

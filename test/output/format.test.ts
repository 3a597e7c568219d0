import { describe, expect, test } from 'vitest';
import { formatNumber } from '../../src/output/format.js';

describe('formatNumber', () => {
  test.each([
    // integers: every digit, no exponent, no '.0'
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-7, '-7'],
    [1e14, '100000000000000'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
    // fractions: at most 12 significant digits, trailing zeros dropped
    [2.5, '2.5'],
    [0.1 + 0.2, '0.3'], // 0.30000000000000004 rounds to 0.3
    [1 / 3, '0.333333333333'],
    [2 / 3, '0.666666666667'],
    [-2 / 3, '-0.666666666667'],
    [123456.789012345, '123456.789012'],
    [2.0000000000001, '2'], // rounds onto an integer
    [0.999712, '0.999712'],
    // no exponent inside [1e-6, 1e15)
    [1e-6, '0.000001'],
    [0.0000123456789012345, '0.0000123456789012'],
    [123456789012.5, '123456789013'],
    [999999999999999.9, '1000000000000000'], // rounds up to 1e15, still fixed
    // exponent outside it
    [1.5e-7, '1.5e-7'],
    [-1e-300, '-1e-300'],
    [1e21, '1e+21'],
    [1.23456789012345e25, '1.23456789012e+25'],
    // special values
    [Number.NaN, ''],
    [Infinity, 'inf'],
    [-Infinity, '-inf'],
  ])('%s -> %j', (v, text) => {
    expect(formatNumber(v)).toBe(text);
  });
});

// CronJob schedules as robfig/cron v3 ParseStandard reads them (kube: batch validateScheduleFormat),
// and the cron-parser expression with the same meaning that the simulation runs.
import { describe, expect, test } from 'vitest';
import { normalizeSchedule } from '../../src/scenario/kube/cronjob.js';

const expr = (s: string) => {
  const r = normalizeSchedule(s);
  if ('error' in r) throw new Error(r.error);
  return r.expr;
};
const error = (s: string) => {
  const r = normalizeSchedule(s);
  if (!('error' in r)) throw new Error(`accepted: ${String(r.expr)}`);
  return r.error;
};

describe('robfig/cron v3 ParseStandard (parser.go getRange, bounds)', () => {
  test.each([
    // day-of-week is 0-6 (dow bounds {0, 6}): 7 for Sunday is another cron's extension.
    ['0 0 * * 7', 'end of range (7) above maximum (6): 7'],
    ['0 0 * * 5-7', 'end of range (7) above maximum (6): 5-7'],
    ['60 * * * *', 'end of range (60) above maximum (59): 60'],
    ['0 0 0 * *', 'beginning of range (0) below minimum (1): 0'],
    ['5-1 * * * *', 'beginning of range (5) beyond end of range (1): 5-1'],
    ['*/0 * * * *', 'step of range should be a positive number: */0'],
    ['1-2-3 * * * *', 'too many hyphens: 1-2-3'],
    ['1/2/3 * * * *', 'too many slashes: 1/2/3'],
    ['x * * * *', 'failed to parse int from x: strconv.Atoi: parsing "x": invalid syntax'],
    ['0 0 * jan-foo *', 'failed to parse int from foo: strconv.Atoi: parsing "foo": invalid syntax'],
    ['0 0 * * * *', 'expected exactly 5 fields (minute hour day-of-month month day-of-week), found 6: [0 0 * * * *]'],
  ])('%s is refused: %s', (s, message) => {
    expect(error(s)).toBe(`invalid schedule ${JSON.stringify(s)}: ${message}`);
  });

  test('descriptors, TZ and @every', () => {
    expect(error('@often')).toBe('unrecognized descriptor: @often');
    expect(error('@everyday')).toBe('unrecognized descriptor: @everyday');
    expect(error('TZ=UTC 0 * * * *')).toMatch(/use timeZone field instead/);
    expect(error('@every 5m')).toMatch(/`@every` schedules are not simulated/);
    expect(error('0 0 L * *')).toMatch(/`L`, `#` and `H` are not part of Kubernetes' cron syntax/);
  });
});

describe('the cron-parser expression keeps robfig\'s meaning (spec.go dayMatches)', () => {
  test.each([
    ['*/5 * * * *', '0,5,10,15,20,25,30,35,40,45,50,55 * * * *'],
    ['0 0 * * 0-6', '0 0 * * 0,1,2,3,4,5,6'],
    ['0 0 * * MON-FRI', '0 0 * * 1,2,3,4,5'], // names, case-insensitive
    ['0 0 * jan-mar sun', '0 0 * 1,2,3 0'],
    ['0 0 * * 1/2', '0 0 * * 1,3,5'], // N/step is N-max/step
    ['+5 1,,2 ? * *', '5 1,2 * * *'], // Atoi takes a sign; empty list items are skipped; ? is *
    ['@midnight', '0 0 * * *'],
    ['@weekly', '0 0 * * 0'],
    ['@yearly', '0 0 1 1 *'],
    // `*/1` keeps the star bit: day-of-month is `*`, so only Mondays (AND).
    ['0 0 */1 * 1', '0 0 * * 1'],
    // `*/2` loses it: odd days OR Mondays.
    ['0 0 */2 * 1', '0 0 1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31 * 1'],
    // Both restricted: the 30th OR any Monday; February has no 30th, its Mondays fire.
    ['0 0 30 2 1', '0 0 30 2 1'],
    // A day-of-month list that allows nothing leaves day-of-week alone (OR).
    ['0 0 , * 1', '0 0 * * 1'],
    ['0 0 29 2 *', '0 0 29 2 *'], // leap years only
  ])('%s -> %s', (s, e) => {
    expect(expr(s)).toBe(e);
  });

  test.each(['0 0 30 2 *', '0 0 31 4,6,9,11 *', ', * * * *', '0 0 15 , *', '0 0 , * ,'])('%s is accepted and never fires (null)', (s) => {
    expect(expr(s)).toBeNull();
  });
});

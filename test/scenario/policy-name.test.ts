// scheduler.policy is checked at load, at the value's position (from the file, a sweep or --set),
// so `validate` reports what `run` would; policy modules still load.
import { describe, expect, test } from 'vitest';
import { errorsOf, load, loaded, scenario } from './helpers.js';

const EXPECTED = 'expected one of kube-default, least-allocated, most-allocated';

describe('scheduler.policy', () => {
  test('an unknown name is an error at the value, with a suggestion', () => {
    const errs = errorsOf(load(scenario('  scheduler: {policy: kube-defualt}\n')));
    expect(errs).toHaveLength(1);
    // line 9 of the text: `  scheduler: {policy: kube-defualt}`, the value at column 23
    expect(errs[0]).toMatch(/^s\.yaml:9:23: spec\.scheduler\.policy: unknown scheduler policy "kube-defualt" \(did you mean "kube-default"\?\); /);
    expect(errs[0]).toContain(EXPECTED);
  });

  test('from --set: at the field it replaces, naming the flag', () => {
    const errs = errorsOf(load(scenario('  scheduler: {policy: random}\n'), [{ path: 'scheduler.policy', value: 'nope' }]));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^s\.yaml:9:23: spec\.scheduler\.policy: unknown scheduler policy "nope"; .*\(from --set scheduler\.policy=nope\)$/);
  });

  test('from --set with no policy in the file: still an error, not a default', () => {
    const errs = errorsOf(load(scenario(''), [{ path: 'scheduler.policy', value: 'nope' }]));
    expect(errs).toHaveLength(1);
    expect(errs[0]).toContain('unknown scheduler policy "nope"');
  });

  test('a sweep value: at that value', () => {
    const errs = errorsOf(load(scenario('  sweep:\n    - {set: scheduler.policy, values: [first-fit, bset-fit]}\n')));
    expect(errs).toHaveLength(1);
    // line 10, `bset-fit` at column 51
    expect(errs[0]).toMatch(/^s\.yaml:10:51: spec\.scheduler\.policy: unknown scheduler policy "bset-fit" \(did you mean "best-fit"\?\)/);
  });

  test('every built-in name and a module path load', () => {
    for (const p of ['kube-default', 'most-allocated', 'fgd', 'random']) {
      expect(loaded(load(scenario(`  scheduler: {policy: ${p}}\n`))).points[0]!.scenario.scheduler.policy).toBe(p);
    }
    const s = loaded(load(scenario('  scheduler: {policy: ./policies/prefer-spread.js}\n'), [], 'scenarios')).points[0]!.scenario;
    expect(s.scheduler.policy).toMatch(/scenarios\/policies\/prefer-spread\.js$/);
  });
});

import { describe, expect, it } from 'vitest';
import type { Taint } from '../../src/scenario/model.js';
import { TAINT_KEY_NOT_READY, TAINT_KEY_UNREACHABLE, TAINT_KEY_UNSCHEDULABLE } from '../../src/sim/cluster/node-table.js';
import {
  minTolerationSeconds,
  noExecuteTolerationSeconds,
  TAINT_KEY_DISK_PRESSURE,
  TAINT_KEY_MEMORY_PRESSURE,
  TAINT_KEY_PID_PRESSURE,
  toleratesTaint,
  withDefaultTolerations,
} from '../../src/sim/cluster/tolerations.js';
import { toleration } from './helpers.js';

const gpu: Taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };

describe('toleratesTaint (v1.Toleration.ToleratesTaint)', () => {
  it.each([
    { name: 'Equal, same key, value, effect', tol: toleration({ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }), want: true },
    { name: 'Equal, other value', tol: toleration({ key: 'dedicated', value: 'cpu', effect: 'NoSchedule' }), want: false },
    { name: 'Exists ignores the value', tol: toleration({ key: 'dedicated', operator: 'Exists', effect: 'NoSchedule' }), want: true },
    { name: 'Exists, other key', tol: toleration({ key: 'other', operator: 'Exists' }), want: false },
    { name: 'empty effect matches every effect', tol: toleration({ key: 'dedicated', operator: 'Exists' }), want: true },
    { name: 'other effect', tol: toleration({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }), want: false },
    { name: 'empty key with Exists tolerates everything', tol: toleration({ operator: 'Exists' }), want: true },
    // Upstream quirk: an empty key skips the key check even with Equal; the value must still match.
    { name: 'empty key with Equal compares values only', tol: toleration({ value: 'gpu' }), want: true },
    { name: 'empty key with Equal and another value', tol: toleration({ value: '' }), want: false },
  ])('$name', ({ tol, want }) => {
    expect(toleratesTaint(tol, gpu)).toBe(want);
  });
});

describe('withDefaultTolerations', () => {
  const notReady300 = { key: TAINT_KEY_NOT_READY, operator: 'Exists', value: '', effect: 'NoExecute', tolerationSeconds: 300 };
  const unreachable300 = { key: TAINT_KEY_UNREACHABLE, operator: 'Exists', value: '', effect: 'NoExecute', tolerationSeconds: 300 };

  it('DefaultTolerationSeconds adds not-ready and unreachable NoExecute for 300 s', () => {
    expect(withDefaultTolerations([], 'pod')).toEqual([notReady300, unreachable300]);
  });

  it.each([
    { name: 'empty key + empty effect covers both', tol: toleration({ operator: 'Exists' }), want: [] },
    { name: 'empty key + NoExecute covers both', tol: toleration({ operator: 'Exists', effect: 'NoExecute' }), want: [] },
    { name: 'empty key + NoSchedule covers neither', tol: toleration({ operator: 'Exists', effect: 'NoSchedule' }), want: [notReady300, unreachable300] },
    {
      name: 'not-ready NoExecute keeps its own seconds',
      tol: toleration({ key: TAINT_KEY_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 }),
      want: [unreachable300],
    },
    { name: 'unreachable with empty effect', tol: toleration({ key: TAINT_KEY_UNREACHABLE, operator: 'Exists' }), want: [notReady300] },
  ])('skipped when already tolerated: $name', ({ tol, want }) => {
    expect(withDefaultTolerations([tol], 'pod')).toEqual([tol, ...want]);
  });

  it('does not modify its input', () => {
    const input = [toleration({ key: 'a', operator: 'Exists' })];
    withDefaultTolerations(input, 'pod');
    withDefaultTolerations(input, 'daemonset');
    expect(input).toHaveLength(1);
  });

  it('DaemonSet pods tolerate not-ready / unreachable forever and the NoSchedule condition taints', () => {
    const got = withDefaultTolerations([], 'daemonset');
    expect(got).toEqual([
      { key: TAINT_KEY_NOT_READY, operator: 'Exists', value: '', effect: 'NoExecute', tolerationSeconds: null },
      { key: TAINT_KEY_UNREACHABLE, operator: 'Exists', value: '', effect: 'NoExecute', tolerationSeconds: null },
      { key: TAINT_KEY_DISK_PRESSURE, operator: 'Exists', value: '', effect: 'NoSchedule', tolerationSeconds: null },
      { key: TAINT_KEY_MEMORY_PRESSURE, operator: 'Exists', value: '', effect: 'NoSchedule', tolerationSeconds: null },
      { key: TAINT_KEY_PID_PRESSURE, operator: 'Exists', value: '', effect: 'NoSchedule', tolerationSeconds: null },
      { key: TAINT_KEY_UNSCHEDULABLE, operator: 'Exists', value: '', effect: 'NoSchedule', tolerationSeconds: null },
    ]);
  });

  it('DaemonSet: a matching (key, effect, operator, value) toleration is replaced in place', () => {
    const user = toleration({ key: TAINT_KEY_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 });
    const other = toleration({ key: 'x', operator: 'Exists' });
    const got = withDefaultTolerations([user, other], 'daemonset');
    expect(got[0]).toEqual({ ...user, tolerationSeconds: null });
    expect(got[1]).toBe(other);
    expect(got).toHaveLength(7);
  });

  it('DaemonSet: a toleration differing in operator is kept and the default appended', () => {
    const user = toleration({ key: TAINT_KEY_NOT_READY, operator: 'Equal', effect: 'NoExecute', tolerationSeconds: 60 });
    const got = withDefaultTolerations([user], 'daemonset');
    expect(got[0]).toBe(user);
    expect(got).toHaveLength(7); // 1 + 6 defaults, no 300 s admission ones
  });
});

describe('noExecuteTolerationSeconds (taint eviction, getMinTolerationTime)', () => {
  it.each([
    { name: 'no tolerations: evict now', tols: [], key: TAINT_KEY_UNREACHABLE, want: -1 },
    { name: 'default admission tolerations: 300 s', tols: withDefaultTolerations([], 'pod'), key: TAINT_KEY_UNREACHABLE, want: 300 },
    { name: 'DaemonSet: forever', tols: withDefaultTolerations([], 'daemonset'), key: TAINT_KEY_NOT_READY, want: Infinity },
    { name: 'tolerationSeconds 0: now', tols: [toleration({ operator: 'Exists', tolerationSeconds: 0 })], key: TAINT_KEY_NOT_READY, want: 0 },
    { name: 'negative: now', tols: [toleration({ operator: 'Exists', tolerationSeconds: -5 })], key: TAINT_KEY_NOT_READY, want: 0 },
    {
      name: 'NoSchedule-only toleration does not tolerate NoExecute',
      tols: [toleration({ key: TAINT_KEY_NOT_READY, operator: 'Exists', effect: 'NoSchedule' })],
      key: TAINT_KEY_NOT_READY,
      want: -1,
    },
    {
      // kube GetMatchingTolerations uses the first toleration that tolerates the taint.
      name: 'the first matching toleration decides',
      tols: [
        toleration({ key: TAINT_KEY_NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 600 }),
        toleration({ operator: 'Exists', tolerationSeconds: 30 }),
      ],
      key: TAINT_KEY_NOT_READY,
      want: 600,
    },
  ])('$name', ({ tols, key, want }) => {
    expect(noExecuteTolerationSeconds(tols, key)).toBe(want);
  });

  it('minTolerationSeconds takes the minimum over the node taints, -1 if one is untolerated', () => {
    const unreachable: Taint = { key: TAINT_KEY_UNREACHABLE, value: '', effect: 'NoExecute' };
    const maint: Taint = { key: 'maintenance', value: 'now', effect: 'NoExecute' };
    const tols = [
      toleration({ key: TAINT_KEY_UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }),
      toleration({ key: 'maintenance', value: 'now', effect: 'NoExecute', tolerationSeconds: 100 }),
    ];
    // min(300, 100) = 100
    expect(minTolerationSeconds(tols, [unreachable, maint])).toBe(100);
    expect(minTolerationSeconds(tols.slice(0, 1), [unreachable, maint])).toBe(-1);
    expect(minTolerationSeconds(tols, [])).toBe(Infinity);
  });
});

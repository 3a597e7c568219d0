// Which metrics are shares, in one place. A share's per-replication value is a fraction in
// [0, 1] by its definition (README "Metrics"), so its summary CI is the bounded interval of
// src/stats/bounded-interval.ts, and the paired difference of two policies' shares (compare) lies
// in [-1, 1] and gets the same interval on that range. Every other metric gets the Student-t
// interval, unclipped.
//
//   availability      share of the measured window with at least minReady Ready pods
//   dropped_fraction  share of a service's requests dropped
//   utilization_mean  time-average share of a service's serving capacity in use
//
// Not shares: *_alloc_mean (requested / allocatable as the scheduler sees it) is at most 1 only
// while the scheduler's view holds, so it keeps the t interval; counts, times, `*_mean` of pods
// and nodes are unbounded above.

import type { Range } from '../stats/bounded-interval.js';

export const SHARE_METRICS: ReadonlySet<string> = new Set(['availability', 'dropped_fraction', 'utilization_mean']);

const SHARE: Range = { lo: 0, hi: 1 };
const SHARE_DIFFERENCE: Range = { lo: -1, hi: 1 };

/** The range of `metric`'s per-replication values, or undefined when it has none. */
export function valueRange(metric: string): Range | undefined {
  return SHARE_METRICS.has(metric) ? SHARE : undefined;
}

/** The range of the paired difference of `metric` between two policies, or undefined. */
export function differenceRange(metric: string): Range | undefined {
  return SHARE_METRICS.has(metric) ? SHARE_DIFFERENCE : undefined;
}

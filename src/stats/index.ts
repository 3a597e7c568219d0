export { tCdf, tQuantile, lnGamma, regularizedBeta } from './t-distribution.js';
export { quantileSorted } from './percentile.js';
export { summarize } from './summary.js';
export { boundedInterval, tInterval, t975, UNIT_RANGE } from './bounded-interval.js';
export type { Range } from './bounded-interval.js';
export type { Summary } from './summary.js';

export { tCdf, tQuantile, lnGamma, regularizedBeta } from './t-distribution.js';
export { quantileSorted } from './percentile.js';
export { summarize, summarizeBounded01 } from './summary.js';
export type { Summary } from './summary.js';

// timeseries.csv sampling (SPEC section 4, `output.timeseries: STEP`): a registry of series,
// each a (subject kind, subject, metric) key and a `read()` of the current value, sampled by
// one engine event every STEP seconds over the measured window: at warmup, warmup + STEP,
// warmup + 2·STEP ... up to the horizon (included when it falls on a step).
//
// A sample at time t is the value held from t onward (right-continuous, like the gauges of
// window.ts): the sampling event runs after every other event at t. Series are registered once
// at set-up (the recorder registers the cluster's; a traffic model would register its services'
// `utilization` and `latency_p99_s` the same way); a sample is O(series) and allocates nothing:
// values go into one Float64Array sized at start. Nothing is formatted here (see
// sweep/execute.ts).

import type { Engine } from '../engine/engine.js';

export type SeriesSubjectKind = 'workload' | 'service' | 'pool' | 'cluster';

export interface SeriesKey {
  subjectKind: SeriesSubjectKind;
  subject: string;
  metric: string;
}

/** The samples of one replication. */
export interface TimeseriesData {
  keys: SeriesKey[];
  /** Sample times in s, ascending. */
  timesS: Float64Array;
  /** values[i * keys.length + k] = series k at timesS[i]. */
  values: Float64Array;
}

export class TimeseriesSampler {
  private readonly keys: SeriesKey[] = [];
  private readonly reads: (() => number)[] = [];
  /** Number of sample times in the window. */
  readonly count: number;
  private timesS = new Float64Array(0);
  private values = new Float64Array(0);
  private taken = 0;
  private readonly kind: number;

  constructor(
    private readonly engine: Engine,
    private readonly startS: number,
    private readonly endS: number,
    private readonly stepS: number,
  ) {
    // The 1e-9 absorbs rounding in (end - start) / step when the horizon falls on a step.
    this.count = endS >= startS ? Math.floor((endS - startS) / stepS + 1e-9) + 1 : 0;
    this.kind = engine.register('timeseries-sample', () => this.sample());
  }

  /** Adds a series; only before start(). Rows of a sample follow registration order. */
  register(subjectKind: SeriesSubjectKind, subject: string, metric: string, read: () => number): void {
    this.keys.push({ subjectKind, subject, metric });
    this.reads.push(read);
  }

  /** Allocates the sample buffer and schedules the first sample, at the window's start. */
  start(): void {
    this.timesS = new Float64Array(this.count);
    this.values = new Float64Array(this.count * this.keys.length);
    if (this.count > 0) this.engine.schedule(this.startS, this.kind);
  }

  private sample(): void {
    const e = this.engine;
    // Other events at this instant still pending: queue behind them (a fresh sequence number),
    // so the sample sees their effect. Ends: every event at `now` runs before a later one.
    if (e.peekTime() === e.now) {
      e.schedule(e.now, this.kind);
      return;
    }
    const i = this.taken++;
    this.timesS[i] = e.now;
    const n = this.reads.length;
    const base = i * n;
    for (let k = 0; k < n; k++) this.values[base + k] = this.reads[k]!();
    // Times from the index, not by adding steps (no drift over many steps); clamped to the
    // horizon, which the count's tolerance may have admitted by a rounding error.
    if (this.taken < this.count) e.schedule(Math.min(this.startS + this.taken * this.stepS, this.endS), this.kind);
  }

  /** The samples taken (all of them once the engine has run to the horizon). */
  finish(): TimeseriesData {
    return { keys: this.keys, timesS: this.timesS.subarray(0, this.taken), values: this.values.subarray(0, this.taken * this.keys.length) };
  }
}

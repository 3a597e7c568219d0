// Time-weighted accumulation over the measured window [warmup, horizon].
//
// A `Gauge` holds a piecewise-constant value; `set(now, v)` closes the previous piece. The
// integral only counts the part of each piece inside the window, so values set during warm-up
// are carried into the window without counting warm-up time. All times in seconds.

import { replicationArray } from '../typed-arrays.js';

export class MeasureWindow {
  constructor(
    readonly startS: number,
    readonly endS: number,
  ) {}

  get lengthS(): number {
    return this.endS - this.startS;
  }

  contains(t: number): boolean {
    return t >= this.startS && t <= this.endS;
  }

  /** Length of [a, b] ∩ window. */
  overlap(a: number, b: number): number {
    const lo = a > this.startS ? a : this.startS;
    const hi = b < this.endS ? b : this.endS;
    return hi > lo ? hi - lo : 0;
  }
}

export class Gauge {
  value = 0;
  private since = 0;
  /** ∫ value dt over the window so far. */
  integral = 0;
  /** Largest value held for a positive length of time inside the window (instantaneous
   * transients, such as pods created and bound at the same instant, do not count). */
  max = 0;

  constructor(private readonly w: MeasureWindow) {}

  set(now: number, v: number): void {
    if (v === this.value) return;
    this.closePiece(now);
    this.value = v;
    this.since = now;
  }

  add(now: number, dv: number): void {
    this.set(now, this.value + dv);
  }

  /** Closes the last piece at the end of the window. */
  finish(): void {
    this.closePiece(this.w.endS);
    this.since = this.w.endS;
  }

  private closePiece(now: number): void {
    const d = this.w.overlap(this.since, now);
    this.integral += this.value * d;
    if (d > 0 && this.value > this.max) this.max = this.value;
  }

  /** Time-average over the window. */
  mean(): number {
    return this.w.lengthS > 0 ? this.integral / this.w.lengthS : NaN;
  }
}

/**
 * Tracks a boolean condition ("workload is down", "PDB is violated") over the window: total
 * time true and the number of distinct periods in which it was true for a positive time inside
 * the window (a period already under way when the window opens counts once; an instant, such as
 * a container that crashes and restarts at once, does not count).
 */
export class Condition {
  active = false;
  private since = 0;
  totalS = 0;
  periods = 0;
  /** Longest single period, clipped to the window. */
  longestS = 0;

  constructor(private readonly w: MeasureWindow) {}

  set(now: number, on: boolean): void {
    if (on === this.active) return;
    if (this.active) this.close(now);
    else this.since = now;
    this.active = on;
  }

  private close(now: number): void {
    const d = this.w.overlap(this.since, now);
    if (d <= 0) return;
    this.totalS += d;
    this.periods++;
    if (d > this.longestS) this.longestS = d;
  }

  finish(): void {
    if (this.active) {
      this.close(this.w.endS);
      this.active = false;
    }
  }
}

const NO_SAMPLES = new Float64Array(0);

/** A growable list of samples (latencies, durations) recorded inside the window. */
export class Samples {
  /** Allocated on the first push: many lists of a replication stay empty (rollouts, upgrades). */
  private buf = NO_SAMPLES;
  n = 0;

  push(v: number): void {
    if (this.n === this.buf.length) {
      const b = replicationArray(Float64Array, Math.max(64, this.buf.length * 2));
      b.set(this.buf);
      this.buf = b;
    }
    this.buf[this.n++] = v;
  }

  /** Sorted copy of the samples. */
  sorted(): Float64Array {
    return this.buf.slice(0, this.n).sort();
  }
}

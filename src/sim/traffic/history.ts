// Time a service spends at each serving-pod count inside the measured window, split by whether
// it was disrupted. Everything the fast mode reports is a function of these totals (the
// traffic parameters are constant), so a change of the Ready count costs O(1): close the
// previous piece, add its length to one cell. Nothing else is stored per change.

import type { MeasureWindow } from '../metrics/window.js';
import { grown } from '../typed-arrays.js';
import { replicationArray } from '../typed-arrays.js';

export class ServingHistory {
  /** Serving pods now. */
  pods = 0;
  disrupted = false;
  private since = 0;
  /** Seconds inside the window at each pod count (index), undisrupted and disrupted. */
  calm = replicationArray(Float64Array, 8);
  hit = replicationArray(Float64Array, 8);

  constructor(private readonly w: MeasureWindow) {}

  /** The count changes to `pods` at `now`, disrupted or not from then on. */
  set(now: number, pods: number, disrupted: boolean): void {
    this.close(now);
    this.pods = pods;
    this.disrupted = disrupted;
    if (pods >= this.calm.length) {
      const cap = Math.max(pods + 1, this.calm.length * 2);
      this.calm = grown(this.calm, cap);
      this.hit = grown(this.hit, cap);
    }
  }

  finish(): void {
    this.close(this.w.endS);
  }

  private close(now: number): void {
    const d = this.w.overlap(this.since, now);
    if (d > 0) (this.disrupted ? this.hit : this.calm)[this.pods]! += d;
    this.since = now;
  }
}

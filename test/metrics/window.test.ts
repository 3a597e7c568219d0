import { describe, expect, it } from 'vitest';
import { Condition, Gauge, MeasureWindow } from '../../src/sim/metrics/window.js';

describe('Gauge over the window [100, 200]', () => {
  it('integrates only inside the window and keeps the max held for a positive time', () => {
    const w = new MeasureWindow(100, 200);
    const g = new Gauge(w);
    g.set(50, 4); // 50..120 at 4 -> counts 100..120: 80
    g.set(120, 9); // instant spike, replaced at once: not a max
    g.set(120, 2); // 120..180 at 2: 120
    g.set(180, 0); // 180..200 at 0
    g.finish();
    expect(g.integral).toBe(80 + 120);
    expect(g.mean()).toBe(2);
    expect(g.max).toBe(4);
  });
});

describe('Condition over the window [100, 200]', () => {
  it('counts periods with positive time inside the window, clipped', () => {
    const w = new MeasureWindow(100, 200);
    const c = new Condition(w);
    c.set(90, true); // 90..110: 10 s inside, one period
    c.set(110, false);
    c.set(150, true); // an instant: not a period
    c.set(150, false);
    c.set(190, true); // 190..end: 10 s, one period
    c.finish();
    expect(c.totalS).toBe(20);
    expect(c.periods).toBe(2);
    expect(c.longestS).toBe(10);
  });

  it('ignores periods entirely in the warm-up', () => {
    const c = new Condition(new MeasureWindow(100, 200));
    c.set(0, true);
    c.set(50, false);
    c.finish();
    expect(c.periods).toBe(0);
    expect(c.totalS).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { Engine, NO_EVENT } from '../../src/sim/engine/engine.js';

describe('Engine', () => {
  it('runs events in time order, equal times in scheduling order', () => {
    const e = new Engine(4);
    const log: string[] = [];
    const k = e.register('log', (a, b) => log.push(`${e.now}:${a}:${b}`));
    e.schedule(5, k, 1);
    e.schedule(1, k, 2);
    e.schedule(5, k, 3);
    e.schedule(1, k, 4);
    e.schedule(3, k, 5, 7);
    e.run(100);
    expect(log).toEqual(['1:2:0', '1:4:0', '3:5:7', '5:1:0', '5:3:0']);
    expect(e.now).toBe(100);
    expect(e.eventsProcessed).toBe(5);
  });

  it('cancels pending events and ignores keys of events that already ran', () => {
    const e = new Engine(2);
    const log: number[] = [];
    const k = e.register('log', (a) => log.push(a));
    const k1 = e.schedule(1, k, 1);
    const k2 = e.schedule(2, k, 2);
    e.cancel(k2);
    e.run(1.5);
    // k1 ran; its slot is reused by the next event. Cancelling k1 must not hit the new one.
    const k3 = e.schedule(3, k, 3);
    e.cancel(k1);
    e.cancel(NO_EVENT);
    e.run(10);
    expect(log).toEqual([1, 3]);
    expect(e.timeOf(k3)).toBeNaN();
  });

  it('stops at the horizon, running events at exactly the horizon', () => {
    const e = new Engine();
    const log: number[] = [];
    const k = e.register('log', (a) => log.push(a));
    e.schedule(10, k, 1);
    e.schedule(10.0001, k, 2);
    e.run(10);
    expect(log).toEqual([1]);
    expect(e.pending).toBe(1);
  });

  it('lets handlers schedule more events, at the current time too', () => {
    const e = new Engine(1);
    const log: string[] = [];
    let k = 0;
    k = e.register('chain', (a) => {
      log.push(`${e.now}:${a}`);
      if (a < 3) e.schedule(e.now, k, a + 1);
    });
    e.schedule(2, k, 0);
    e.run(5);
    expect(log).toEqual(['2:0', '2:1', '2:2', '2:3']);
  });

  it('grows past its initial capacity and keeps order (many pending events)', () => {
    const e = new Engine(2);
    const times: number[] = [];
    const k = e.register('t', () => times.push(e.now));
    for (let i = 0; i < 5000; i++) e.schedule((i * 7919) % 1000, k);
    e.run(1e9);
    expect(times.length).toBe(5000);
    for (let i = 1; i < times.length; i++) expect(times[i]!).toBeGreaterThanOrEqual(times[i - 1]!);
  });

  it('never moves time backwards: an event scheduled in the past runs now', () => {
    const e = new Engine();
    const log: number[] = [];
    let k = 0;
    k = e.register('p', (a) => {
      log.push(e.now);
      if (a === 0) e.schedule(e.now - 5, k, 1);
    });
    e.schedule(10, k, 0);
    e.run(20);
    expect(log).toEqual([10, 10]);
  });
});

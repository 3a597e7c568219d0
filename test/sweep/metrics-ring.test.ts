// The ring that carries a worker's metrics.csv bytes to the main thread (src/sweep/metrics-ring.ts),
// driven by hand with small rings: positions worked out below.
import { describe, expect, test } from 'vitest';
import { MetricsRingReader, MetricsRingWriter } from '../../src/sweep/metrics-ring.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

describe('metrics ring', () => {
  test('puts texts back to back, wraps to the start when a chunk does not fit before the end, refuses when full', () => {
    const w = new MetricsRingWriter(64);
    const r = new MetricsRingReader(w.buffer);
    // 10 + 20 bytes at 0..30
    const a = w.put(['a'.repeat(10), 'b'.repeat(20)])!;
    expect(a.start).toBe(0);
    expect(a.lengths).toEqual([10, 20]);
    const ra = r.region(30, 2);
    expect(text(r.bytes(0, 10))).toBe('a'.repeat(10));
    expect(text(r.bytes(10, 20))).toBe('b'.repeat(20));
    // 30 used, 34 free, all before the end: 30 bytes at 30..60
    const b = w.put(['c'.repeat(30)])!;
    expect(b.start).toBe(30);
    r.region(60, 1);
    // 60 used: 4 free; nothing fits, and the start of the ring is not released yet
    expect(w.put(['d'.repeat(5)])).toBeNull();
    ra.done();
    expect(w.put(['d'.repeat(5)])).toBeNull(); // one of a's two tasks is still using its bytes
    ra.done(); // a done: 0..30 is free again, 60..64 too
    // 8 bytes do not fit in 60..64: they start at 64 (offset 0), skipping 4
    const c = w.put(['e'.repeat(8)])!;
    expect(c.start).toBe(64);
    expect(text(r.bytes(c.start, 8))).toBe('e'.repeat(8));
    expect(text(r.bytes(30, 30))).toBe('c'.repeat(30)); // untouched
    // used: 30..72 (42 bytes with the skip); free 22, of which 22 contiguous from offset 8
    expect(w.put(['f'.repeat(23)])).toBeNull();
    const d = w.put(['f'.repeat(22)])!;
    expect(d.start).toBe(72);
    expect(w.put([''])).toEqual({ ring: w.buffer, start: 94, lengths: [0] });
  });

  test('bytes go back in the order they were written, whatever order the tasks are done in', () => {
    const w = new MetricsRingWriter(64);
    const r = new MetricsRingReader(w.buffer);
    w.put(['x'.repeat(30)]);
    const first = r.region(30, 1);
    w.put(['y'.repeat(30)]);
    const second = r.region(60, 1);
    // The later chunk is handed on first (its task comes first in task order): nothing is
    // released, since the earlier chunk's bytes are still in use.
    second.done();
    expect(w.put(['z'.repeat(5)])).toBeNull();
    expect(text(r.bytes(0, 30))).toBe('x'.repeat(30));
    first.done(); // both released: 64 bytes free, 4 of them before the end
    expect(w.put(['z'.repeat(5)])!.start).toBe(64);
  });

  test('lengths are UTF-8 bytes; a text that expands past the room is refused whole', () => {
    const w = new MetricsRingWriter(16);
    const r = new MetricsRingReader(w.buffer);
    const a = w.put(['é€', 'x'])!; // 2 + 3 bytes, then 1
    expect(a.lengths).toEqual([5, 1]);
    expect(text(r.bytes(0, 5))).toBe('é€');
    // 10 free bytes; 4 characters of 3 bytes each need 12
    expect(w.put(['€€€€'])).toBeNull();
    expect(w.put(['€€€'])!.lengths).toEqual([9]);
  });

  test('positions keep working past 2^31 bytes written (they wrap as 32-bit integers)', () => {
    const w = new MetricsRingWriter(1024);
    const r = new MetricsRingReader(w.buffer);
    const chunk = ['k'.repeat(1000)];
    let end = 0;
    for (let i = 0; i < 2_200_000; i++) {
      const slot = w.put(chunk)!;
      end = (slot.start + 1000) | 0;
      const region = r.region(end, 1);
      if (i % 500_000 === 0 || i > 2_199_990) expect(text(r.bytes(slot.start, 1000))).toBe(chunk[0]);
      region.done();
    }
    expect(end).toBeLessThan(0); // 2.2e9 bytes wrapped past 2^31
  });

  test('refuses a capacity that is not a power of two', () => {
    expect(() => new MetricsRingWriter(100)).toThrow(/power of two/);
  });
});

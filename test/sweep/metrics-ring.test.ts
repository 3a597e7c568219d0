// The ring that carries a worker's metrics.csv bytes to the main thread (src/sweep/metrics-ring.ts),
// driven by hand with small rings: positions worked out below.
import { describe, expect, test } from 'vitest';
import { ChunkRecords, MetricsRingReader, MetricsRingWriter, type RingSlot } from '../../src/sweep/metrics-ring.js';

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Puts one chunk of tasks' records, as a worker does: its slot and each task's length in bytes. */
function put(w: MetricsRingWriter, texts: string[]): (RingSlot & { lengths: number[] }) | null {
  const records = new ChunkRecords();
  for (const t of texts) records.add(t);
  const slot = w.put(records.view());
  return slot === null ? null : { ...slot, lengths: [...records.byteLengths] };
}

describe('metrics ring', () => {
  test('puts texts back to back, wraps to the start when a chunk does not fit before the end, refuses when full', () => {
    const w = new MetricsRingWriter(64);
    const r = new MetricsRingReader(w.buffer);
    // 10 + 20 bytes at 0..30
    const a = put(w, ['a'.repeat(10), 'b'.repeat(20)])!;
    expect(a.start).toBe(0);
    expect(a.lengths).toEqual([10, 20]);
    const ra = r.region(30, 2);
    expect(text(r.bytes(0, 10))).toBe('a'.repeat(10));
    expect(text(r.bytes(10, 20))).toBe('b'.repeat(20));
    // 30 used, 34 free, all before the end: 30 bytes at 30..60
    const b = put(w, ['c'.repeat(30)])!;
    expect(b.start).toBe(30);
    r.region(60, 1);
    // 60 used: 4 free; nothing fits, and the start of the ring is not released yet
    expect(put(w, ['d'.repeat(5)])).toBeNull();
    ra.done();
    expect(put(w, ['d'.repeat(5)])).toBeNull(); // one of a's two tasks is still using its bytes
    ra.done(); // a done: 0..30 is free again, 60..64 too
    // 8 bytes do not fit in 60..64: they start at 64 (offset 0), skipping 4
    const c = put(w, ['e'.repeat(8)])!;
    expect(c.start).toBe(64);
    expect(text(r.bytes(c.start, 8))).toBe('e'.repeat(8));
    expect(text(r.bytes(30, 30))).toBe('c'.repeat(30)); // untouched
    // used: 30..72 (42 bytes with the skip); free 22, of which 22 contiguous from offset 8
    expect(put(w, ['f'.repeat(23)])).toBeNull();
    const d = put(w, ['f'.repeat(22)])!;
    expect(d.start).toBe(72);
    expect(put(w, [''])).toEqual({ ring: w.buffer, start: 94, lengths: [0] });
  });

  test('bytes go back in the order they were written, whatever order the tasks are done in', () => {
    const w = new MetricsRingWriter(64);
    const r = new MetricsRingReader(w.buffer);
    put(w, ['x'.repeat(30)]);
    const first = r.region(30, 1);
    put(w, ['y'.repeat(30)]);
    const second = r.region(60, 1);
    // The later chunk is handed on first (its task comes first in task order): nothing is
    // released, since the earlier chunk's bytes are still in use.
    second.done();
    expect(put(w, ['z'.repeat(5)])).toBeNull();
    expect(text(r.bytes(0, 30))).toBe('x'.repeat(30));
    first.done(); // both released: 64 bytes free, 4 of them before the end
    expect(put(w, ['z'.repeat(5)])!.start).toBe(64);
  });

  test('lengths are UTF-8 bytes; a text that expands past the room is refused whole', () => {
    const w = new MetricsRingWriter(16);
    const r = new MetricsRingReader(w.buffer);
    const a = put(w, ['é€', 'x'])!; // 2 + 3 bytes, then 1
    expect(a.lengths).toEqual([5, 1]);
    expect(text(r.bytes(0, 5))).toBe('é€');
    // 10 free bytes; 4 characters of 3 bytes each need 12
    expect(put(w, ['€€€€'])).toBeNull();
    expect(put(w, ['€€€'])!.lengths).toEqual([9]);
  });

  test('positions keep working past 2^31 bytes written (they wrap as 32-bit integers)', () => {
    const w = new MetricsRingWriter(1024);
    const r = new MetricsRingReader(w.buffer);
    const chunk = new TextEncoder().encode('k'.repeat(1000));
    let end = 0;
    for (let i = 0; i < 2_200_000; i++) {
      const slot = w.put(chunk)!;
      end = (slot.start + 1000) | 0;
      const region = r.region(end, 1);
      if (i % 500_000 === 0 || i > 2_199_990) expect(text(r.bytes(slot.start, 1000))).toBe('k'.repeat(1000));
      region.done();
    }
    expect(end).toBeLessThan(0); // 2.2e9 bytes wrapped past 2^31
  });

  test('refuses a capacity that is not a power of two', () => {
    expect(() => new MetricsRingWriter(100)).toThrow(/power of two/);
  });
});

describe('chunk records', () => {
  test('keeps each task as UTF-8 bytes and as UTF-16 lengths, growing past its first buffer, and starts over on clear', () => {
    const c = new ChunkRecords();
    const tasks = ['a,1\n', 'é€,2\n', 'x'.repeat(70_000) + '\n']; // the third outgrows the 64 KiB buffer
    for (const t of tasks) c.add(t);
    expect(c.byteLengths).toEqual([4, 8, 70_001]); // é 2 bytes, € 3, then 3 more
    expect(c.unitLengths).toEqual([4, 5, 70_001]);
    expect(c.bytes).toBe(70_013);
    expect(c.unitLengths.reduce((a, b) => a + b, 0)).toBe(70_010); // the records as one string
    expect(c.text()).toBe(tasks.join(''));
    expect(text(c.view().subarray(4, 12))).toBe('é€,2\n');
    c.clear();
    c.add('z\n');
    expect(c.byteLengths).toEqual([2]);
    expect(c.text()).toBe('z\n');
  });
});

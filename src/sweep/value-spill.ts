// The per-task numbers a run's summary and run.json need at the end, kept on disk rather than in
// memory, so that a run's memory does not grow with its replications.
//
// Each finished task appends one record of float64s to a temporary file (under os.tmpdir()):
// [replication, seed, value 0, ..., value K-1], K the point's metric count. Tasks come in task
// order, which is point-major, so a point's records are one contiguous segment of fixed record
// length. At the end the summary reads the file back one group of columns (metrics) at a time,
// at most COLUMN_BUDGET values per pass, and run.json's seeds are streamed from it: memory stays
// at a few MiB whatever the number of replications, and every value comes back exactly (a double
// written and read as 8 bytes), so the summary is the one of the in-memory values, byte for byte.

import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Doubles buffered before a write(2): 64 KiB. */
const BUFFER_DOUBLES = 8192;
/** Values (doubles) held per read-back pass: 1 MiB (one metric of 131,072 replications). */
export const COLUMN_BUDGET = 1 << 17;
/** Leading fields of a record before the values. */
const HEAD = 2;

interface Segment {
  point: number;
  /** Index of the segment's first double in the file. */
  start: number;
  /** Doubles per record: HEAD + the point's metric count. */
  width: number;
  count: number;
}

export class ValueSpill {
  private readonly dir: string;
  private readonly fd: number;
  private readonly buffer = new Float64Array(BUFFER_DOUBLES);
  private buffered = 0;
  /** Doubles written to the file, buffer excluded. */
  private written = 0;
  private readonly segments: Segment[] = [];
  private closed = false;

  constructor() {
    this.dir = mkdtempSync(join(tmpdir(), 'kubesim-values-'));
    this.fd = openSync(join(this.dir, 'values.f64'), 'w+');
  }

  /** Records one task; a point's tasks must be consecutive. */
  append(point: number, replication: number, seed: number, values: Float64Array): void {
    let seg = this.segments.at(-1);
    if (seg === undefined || seg.point !== point) {
      if (this.segments.some((s) => s.point === point)) {
        throw new Error(`Expected the tasks of point ${point} to be consecutive, got one after another point's (replication ${replication})`);
      }
      seg = { point, start: this.written + this.buffered, width: HEAD + values.length, count: 0 };
      this.segments.push(seg);
    } else if (seg.width !== HEAD + values.length) {
      throw new Error(`Expected ${seg.width - HEAD} metrics at point ${point}, got ${values.length} (replication ${replication})`);
    }
    this.put(replication);
    this.put(seed);
    for (let k = 0; k < values.length; k++) this.put(values[k]!);
    seg.count++;
  }

  /** Tasks recorded so far. */
  get tasks(): number {
    let n = 0;
    for (const s of this.segments) n += s.count;
    return n;
  }

  /** The points recorded, in task order. */
  get points(): number[] {
    return this.segments.map((s) => s.point);
  }

  /**
   * Calls `each(k, values)` for every metric k of `point`, in k order, with its values in task
   * order. `values` is reused between calls of one pass: copy it to keep it.
   */
  forEachColumn(point: number, each: (k: number, values: Float64Array) => void): void {
    const seg = this.segment(point);
    const metrics = seg.width - HEAD;
    if (seg.count === 0 || metrics === 0) return;
    const perPass = Math.max(1, Math.min(metrics, Math.floor(COLUMN_BUDGET / seg.count)));
    const columns = Array.from({ length: perPass }, () => new Float64Array(seg.count));
    for (let first = 0; first < metrics; first += perPass) {
      const last = Math.min(metrics, first + perPass);
      this.scan(seg, (record, row, i) => {
        for (let k = first; k < last; k++) columns[k - first]![i] = record[row + HEAD + k]!;
      });
      for (let k = first; k < last; k++) each(k, columns[k - first]!);
    }
  }

  /** Every task's (point, replication, seed), in task order. */
  *seeds(): Generator<{ point: number; replication: number; seed: number }> {
    for (const seg of this.segments) {
      const { block, perBlock } = this.blockFor(seg);
      for (let i = 0; i < seg.count; i += perBlock) {
        const records = this.read(seg, i, perBlock, block);
        for (let j = 0; j < records; j++) yield { point: seg.point, replication: block[j * seg.width]!, seed: block[j * seg.width + 1]! };
      }
    }
  }

  /** Removes the file; the spill cannot be read afterwards. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private segment(point: number): Segment {
    const seg = this.segments.find((s) => s.point === point);
    if (seg === undefined) throw new Error(`Expected recorded tasks of point ${point}, got none`);
    return seg;
  }

  private put(x: number): void {
    this.buffer[this.buffered++] = x;
    if (this.buffered === BUFFER_DOUBLES) this.flush();
  }

  private flush(): void {
    if (this.buffered === 0) return;
    const bytes = new Uint8Array(this.buffer.buffer, 0, this.buffered * 8);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset, bytes.length - offset, (this.written * 8) + offset);
    this.written += this.buffered;
    this.buffered = 0;
  }

  private blockFor(seg: Segment): { block: Float64Array; perBlock: number } {
    this.flush();
    const perBlock = Math.max(1, Math.floor(BUFFER_DOUBLES / seg.width));
    return { block: new Float64Array(perBlock * seg.width), perBlock };
  }

  /** Reads up to `max` records of `seg` from record `first` into `block`; returns how many. */
  private read(seg: Segment, first: number, max: number, block: Float64Array): number {
    const records = Math.min(max, seg.count - first);
    const bytes = new Uint8Array(block.buffer);
    const length = records * seg.width * 8;
    const position = (seg.start + first * seg.width) * 8;
    let got = 0;
    while (got < length) {
      const r = readSync(this.fd, bytes, got, length - got, position + got);
      if (r === 0) throw new Error(`Expected ${length} bytes of recorded values at byte ${position}, got ${got}`);
      got += r;
    }
    return records;
  }

  /** Reads a segment in blocks of whole records: visit(block, offset of the record, its index). */
  private scan(seg: Segment, visit: (block: Float64Array, row: number, index: number) => void): void {
    const { block, perBlock } = this.blockFor(seg);
    for (let i = 0; i < seg.count; i += perBlock) {
      const records = this.read(seg, i, perBlock, block);
      for (let j = 0; j < records; j++) visit(block, j * seg.width, i + j);
    }
  }
}

// A worker thread's metrics.csv records reach the main thread as UTF-8 bytes in a ring buffer
// both threads share (a SharedArrayBuffer), not as strings in the chunk's message. The main
// thread copies them into its output block and releases them: no string crosses (a 730 KB
// string per message had to be copied in, sliced per task, then encoded to UTF-8 on the main
// thread, and it filled the main heap: the garbage collector was the main thread's largest
// cost per task, and the main thread's rate bounds a many-core run).
//
// One producer (the worker), one consumer (the main thread). Positions are byte counts since
// the ring was made, as wrapping 32-bit integers; the ring's capacity is a power of two, so
// `position & (capacity - 1)` is the offset whatever the wrap. A chunk's records are contiguous:
// when they do not fit before the end of the ring they start at its beginning, and the bytes
// skipped count as written. The consumer releases a chunk's bytes once every task of it, and of every chunk
// written before it, has been handed on; a producer that finds too little room sends the chunk's
// records as a string instead (the consumer is waiting on another thread, say).

/** Default ring capacity: 8 MiB, about eleven 128-task chunks of web-under-failures. */
export const RING_CAPACITY = 1 << 23;
/** Header: Int32 slots, then the data. */
const CONSUMED = 0; // written by the consumer: position up to which bytes are released
const WRITTEN = 1; // written by the producer: position up to which bytes are written
const HEADER_BYTES = 8;

/** Where a chunk's records were put: the ring and the start position. */
export interface RingSlot {
  ring: SharedArrayBuffer;
  start: number;
}

/**
 * A chunk's metrics.csv records, encoded to UTF-8 as each task finishes, in one buffer reused
 * from chunk to chunk. A task's records are a ~4 KB string; kept until the chunk's end (128
 * tasks), they were alive at every scavenge in between, so the scavenger copied them and then
 * promoted them to the old generation, which the collector must then mark and sweep. As bytes
 * here they never reach the JavaScript heap (results/BENCHMARKS.md).
 */
export class ChunkRecords {
  private readonly encoder = new TextEncoder();
  private buffer = new Uint8Array(1 << 16);
  /** Bytes used; the records of the chunk so far, back to back. */
  bytes = 0;
  /** Per task: its records' length in bytes, and in UTF-16 code units. */
  readonly byteLengths: number[] = [];
  readonly unitLengths: number[] = [];

  /** Starts a new chunk (the previous chunk's bytes must have been put or read). */
  clear(): void {
    this.bytes = 0;
    this.byteLengths.length = 0;
    this.unitLengths.length = 0;
  }

  /** Appends one task's records. */
  add(text: string): void {
    // UTF-8 takes at most three bytes per UTF-16 code unit.
    const need = this.bytes + 3 * text.length;
    if (need > this.buffer.length) {
      const grown = new Uint8Array(Math.max(need, 2 * this.buffer.length));
      grown.set(this.buffer.subarray(0, this.bytes));
      this.buffer = grown;
    }
    const { written } = this.encoder.encodeInto(text, this.buffer.subarray(this.bytes));
    this.bytes += written;
    this.byteLengths.push(written);
    this.unitLengths.push(text.length);
  }

  /** The chunk's records as bytes: valid until the next clear(). */
  view(): Uint8Array {
    return this.buffer.subarray(0, this.bytes);
  }

  /** The chunk's records as one string (when the ring has no room for them). */
  text(): string {
    return new TextDecoder().decode(this.view());
  }
}

/** The producer's side, in a worker thread. */
export class MetricsRingWriter {
  readonly buffer: SharedArrayBuffer;
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private written = 0;

  /** `capacity`: bytes, a power of two. */
  constructor(private readonly capacity = RING_CAPACITY) {
    if (capacity <= 0 || (capacity & (capacity - 1)) !== 0) throw new Error(`Expected a power of two ring capacity, got ${capacity}`);
    this.buffer = new SharedArrayBuffer(HEADER_BYTES + capacity);
    this.header = new Int32Array(this.buffer, 0, 2);
    this.data = new Uint8Array(this.buffer, HEADER_BYTES, capacity);
  }

  /** Copies `bytes` into the ring; null when they do not fit in the free space (send them as text). */
  put(bytes: Uint8Array): RingSlot | null {
    const free = this.capacity - ((this.written - Atomics.load(this.header, CONSUMED)) | 0);
    const at = this.written & (this.capacity - 1);
    const toEnd = this.capacity - at;
    // After the last chunk, else from the ring's start (skipping the rest of it).
    let offset: number;
    if (bytes.length <= Math.min(toEnd, free)) offset = at;
    else if (free > toEnd && bytes.length <= free - toEnd) offset = 0;
    else return null;
    this.data.set(bytes, offset);
    const start = (this.written + (offset === at ? 0 : toEnd)) | 0;
    this.written = (start + bytes.length) | 0;
    Atomics.store(this.header, WRITTEN, this.written); // publishes the bytes before the message that names them
    return { ring: this.buffer, start };
  }
}

/** A chunk's records in a ring: released once all `pending` tasks are done with their bytes. */
export class RingRegion {
  constructor(
    private readonly reader: MetricsRingReader,
    readonly end: number,
    public pending: number,
  ) {}

  /** One of the region's tasks is done with its bytes. */
  done(): void {
    this.pending--;
    this.reader.releaseDone();
  }
}

/**
 * The consumer's side, on the main thread: one per ring (per worker thread), kept as long as the
 * thread. The main thread takes tasks in task order, which need not be the order a worker ran
 * them (piscina may hand a later chunk to a thread first), so bytes are released region by
 * region in the order they were written: a region goes back to the producer once its tasks, and
 * those of every region written before it, are done.
 */
export class MetricsRingReader {
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly mask: number;
  /** Regions not yet released, in the order they were written. */
  private readonly regions: RingRegion[] = [];

  constructor(ring: SharedArrayBuffer) {
    this.header = new Int32Array(ring, 0, 2);
    this.data = new Uint8Array(ring, HEADER_BYTES);
    this.mask = this.data.length - 1;
  }

  /**
   * Registers a chunk's records, which end at `end`, for `tasks` tasks. Chunks must be
   * registered in the order the producer put them (the order its messages arrive).
   */
  region(end: number, tasks: number): RingRegion {
    Atomics.load(this.header, WRITTEN); // pairs with the producer's store
    const r = new RingRegion(this, end, tasks);
    this.regions.push(r);
    this.releaseDone();
    return r;
  }

  /** The bytes [start, start + length) of a registered region: valid until the region is released. */
  bytes(start: number, length: number): Uint8Array {
    const at = start & this.mask;
    return this.data.subarray(at, at + length);
  }

  /** Gives the leading regions whose tasks are all done back to the producer (RingRegion.done). */
  releaseDone(): void {
    let end: number | null = null;
    while (this.regions.length > 0 && this.regions[0]!.pending === 0) end = this.regions.shift()!.end;
    if (end !== null) Atomics.store(this.header, CONSUMED, end);
  }
}

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

/** Where a chunk's records were put: the ring, the start position and each task's length in bytes. */
export interface RingSlot {
  ring: SharedArrayBuffer;
  start: number;
  lengths: number[];
}

/** The producer's side, in a worker thread. */
export class MetricsRingWriter {
  readonly buffer: SharedArrayBuffer;
  private readonly header: Int32Array;
  private readonly data: Uint8Array;
  private readonly encoder = new TextEncoder();
  private written = 0;

  /** `capacity`: bytes, a power of two. */
  constructor(private readonly capacity = RING_CAPACITY) {
    if (capacity <= 0 || (capacity & (capacity - 1)) !== 0) throw new Error(`Expected a power of two ring capacity, got ${capacity}`);
    this.buffer = new SharedArrayBuffer(HEADER_BYTES + capacity);
    this.header = new Int32Array(this.buffer, 0, 2);
    this.data = new Uint8Array(this.buffer, HEADER_BYTES, capacity);
  }

  /** Puts `texts` back to back; null when they do not fit in the free space (send them as text). */
  put(texts: string[]): RingSlot | null {
    const free = this.capacity - ((this.written - Atomics.load(this.header, CONSUMED)) | 0);
    const at = this.written & (this.capacity - 1);
    const toEnd = this.capacity - at;
    // Try after the last chunk, then from the ring's start (skipping the rest of it).
    const slot = this.encode(texts, at, Math.min(toEnd, free)) ?? (free > toEnd ? this.encode(texts, 0, free - toEnd) : null);
    if (slot === null) return null;
    const skipped = slot.offset === at ? 0 : toEnd;
    const start = (this.written + skipped) | 0;
    this.written = (start + slot.bytes) | 0;
    Atomics.store(this.header, WRITTEN, this.written); // publishes the bytes before the message that names them
    return { ring: this.buffer, start, lengths: slot.lengths };
  }

  /** Encodes `texts` from `offset`, in at most `room` bytes; null if they do not fit. */
  private encode(texts: string[], offset: number, room: number): { offset: number; bytes: number; lengths: number[] } | null {
    let bytes = 0;
    const lengths: number[] = [];
    for (const text of texts) {
      // UTF-8 takes at least one byte per UTF-16 code unit: a cheap early refusal.
      if (bytes + text.length > room) return null;
      const r = this.encoder.encodeInto(text, this.data.subarray(offset + bytes, offset + room));
      if (r.read < text.length) return null;
      lengths.push(r.written);
      bytes += r.written;
    }
    return { offset, bytes, lengths };
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

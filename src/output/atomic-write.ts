// Atomic file replacement: readers see the old file or the complete new one, never a partial
// write. Data goes to `<path>.tmp-<pid>-<counter>` in the same folder (so the rename cannot cross
// file systems), is fsynced, then renamed over `path` (rename(2) is atomic on POSIX). On any error
// the temp file is removed and the error rethrown.

import { closeSync, fsyncSync, mkdirSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

let tempCounter = 0;

/** A temp name unique within this process, and across processes by pid. */
function tempPathFor(path: string): string {
  tempCounter++;
  return `${path}.tmp-${process.pid}-${tempCounter}`;
}

async function removeQuietly(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch {
    // The temp file may not exist yet; the original error is the one worth reporting.
  }
}

/** Write `data` to `path` atomically, creating the folder (recursively) if it is missing. */
export async function writeFileAtomic(path: string, data: string | Buffer): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tempPath = tempPathFor(path);
  try {
    const handle = await open(tempPath, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tempPath, path);
  } catch (err) {
    await removeQuietly(tempPath);
    throw err;
  }
}

export interface AtomicWriter {
  /** Append text (UTF-8). Throws on an I/O error; call abort() then. */
  write(chunk: string): void;
  /** Append bytes (already UTF-8), copied before it returns. Throws on an I/O error. */
  writeBytes(bytes: Uint8Array): void;
  /** Flush, fsync and rename over the target. The writer is closed afterwards. */
  commit(): Promise<void>;
  /** Close and delete the temp file; the target is left untouched. Safe to call twice. */
  abort(): void;
}

/** Bytes buffered before a write(2); large CSVs go out in blocks of about this size. */
const FLUSH_BYTES = 1 << 16;

/**
 * Streaming variant of writeFileAtomic for outputs too large to build as one string.
 *
 * Writes are synchronous into a file descriptor, buffered in one reused block of 64 KiB. A Node
 * write stream was not used: `write(): void` leaves no way to wait for backpressure, so a
 * producer looping over millions of rows would queue the whole file in memory; synchronous
 * blocks keep memory bounded at one block. Text is encoded straight into the block (no joined
 * string, no Buffer per write: a run writes ~6 KB of metrics.csv per replication). Creates the
 * folder if missing.
 */
export function openAtomicWriter(path: string): AtomicWriter {
  mkdirSync(dirname(path), { recursive: true });
  const tempPath = tempPathFor(path);
  let fd = openSync(tempPath, 'wx');
  const block = Buffer.allocUnsafeSlow(FLUSH_BYTES);
  let used = 0; // bytes of `block` filled
  let state: 'open' | 'committed' | 'aborted' = 'open';

  const expectOpen = (): void => {
    if (state !== 'open') throw new Error(`Expected an open writer for ${path}, got one already ${state}`);
  };

  const writeAll = (bytes: Uint8Array): void => {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset);
  };

  const flush = (): void => {
    if (used === 0) return;
    const n = used;
    used = 0;
    writeAll(block.subarray(0, n));
  };

  const abort = (): void => {
    if (state !== 'open') return;
    state = 'aborted';
    used = 0;
    try {
      closeSync(fd);
    } catch {
      // Already failing: the caller holds the error that led here.
    }
    try {
      unlinkSync(tempPath);
    } catch {
      // Nothing to remove.
    }
  };

  return {
    write(chunk: string): void {
      expectOpen();
      // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4).
      if (used + 3 * chunk.length > FLUSH_BYTES) {
        flush();
        if (3 * chunk.length > FLUSH_BYTES) return writeAll(Buffer.from(chunk, 'utf8'));
      }
      used += block.write(chunk, used, 'utf8');
    },
    writeBytes(bytes: Uint8Array): void {
      expectOpen();
      if (used + bytes.length > FLUSH_BYTES) {
        flush();
        if (bytes.length > FLUSH_BYTES) return writeAll(bytes);
      }
      block.set(bytes, used);
      used += bytes.length;
    },
    async commit(): Promise<void> {
      expectOpen();
      try {
        flush();
        fsyncSync(fd);
        const closing = fd;
        fd = -1;
        closeSync(closing);
        await rename(tempPath, path);
        state = 'committed';
      } catch (err) {
        if (fd === -1) {
          // Closed already: only the temp file is left to remove.
          state = 'aborted';
          await removeQuietly(tempPath);
        } else {
          abort();
        }
        throw err;
      }
    },
    abort,
  };
}

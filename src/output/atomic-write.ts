// Atomic file replacement: readers see the old file or the complete new one, never a partial
// write. Data goes to `<path>.tmp-<pid>-<counter>` in the same folder (so the rename cannot cross
// file systems), is fsynced, then renamed over `path` (rename(2) is atomic on POSIX). On any error
// the temp file is removed and the error rethrown.
//
// A process killed with SIGKILL (or a second Ctrl-C) leaves its temp files behind. The next
// process may have the same pid: in a container the tool is pid 1 every time (the Indexed Job's
// retried pod), so a name already taken is skipped rather than failing with EEXIST, and a
// successful commit removes the leftover temp files of the same target that are older than
// its own (a live writer of the same target, racing this one for it, keeps writing to a newer file).

import { closeSync, fsyncSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { mkdir, open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let tempCounter = 0;

/** A temp name unique within this process, and across live processes by pid. */
function tempPathFor(path: string): string {
  tempCounter++;
  return `${path}.tmp-${process.pid}-${tempCounter}`;
}

/** Names tried before giving up when every one is taken (by leftovers of earlier processes). */
const TEMP_ATTEMPTS = 1000;

function isEexist(err: unknown): boolean {
  return (err as NodeJS.ErrnoException | null)?.code === 'EEXIST';
}

/** Creates a new temp file for `path` (O_EXCL), skipping names left by earlier processes. */
function openTempSync(path: string): { tempPath: string; fd: number } {
  for (let attempt = 1; ; attempt++) {
    const tempPath = tempPathFor(path);
    try {
      return { tempPath, fd: openSync(tempPath, 'wx') };
    } catch (err) {
      if (!isEexist(err) || attempt === TEMP_ATTEMPTS) throw err;
    }
  }
}

async function openTemp(path: string): Promise<{ tempPath: string; handle: FileHandle }> {
  for (let attempt = 1; ; attempt++) {
    const tempPath = tempPathFor(path);
    try {
      return { tempPath, handle: await open(tempPath, 'wx') };
    } catch (err) {
      if (!isEexist(err) || attempt === TEMP_ATTEMPTS) throw err;
    }
  }
}

/**
 * Deletes `<path>.tmp-<pid>-<n>` files last modified before `before` (ms since the epoch): what
 * killed writers of `path` left. Best effort: a file that cannot be listed, read or removed stays.
 */
function removeStaleTemps(path: string, before: number): void {
  const prefix = `${basename(path)}.tmp-`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^\d+-\d+$/.test(name.slice(prefix.length))) continue;
    const file = join(dirname(path), name);
    try {
      if (statSync(file).mtimeMs < before) unlinkSync(file);
    } catch {
      // Gone already, or not ours to remove.
    }
  }
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
  const openedAt = Date.now();
  const { tempPath, handle } = await openTemp(path);
  try {
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
  removeStaleTemps(path, openedAt);
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
  const openedAt = Date.now();
  const opened = openTempSync(path);
  const tempPath = opened.tempPath;
  let fd = opened.fd;
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
      removeStaleTemps(path, openedAt);
    },
    abort,
  };
}

import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openAtomicWriter, writeFileAtomic } from '../../src/output/atomic-write.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubesim-atomic-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  test('creates missing folders, writes the content, leaves no temp file', async () => {
    const path = join(dir, 'a', 'b', 'metrics.csv');
    await writeFileAtomic(path, 'x,y\n1,2\n');
    expect(readFileSync(path, 'utf8')).toBe('x,y\n1,2\n');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['metrics.csv']);
  });

  test('replaces an existing file; buffers are written as they are', async () => {
    const path = join(dir, 'run.json');
    writeFileSync(path, 'old content that is longer');
    await writeFileAtomic(path, Buffer.from([0x7b, 0x7d, 0x0a]));
    expect(readFileSync(path, 'utf8')).toBe('{}\n');
    expect(readdirSync(dir)).toEqual(['run.json']);
  });

  test('on error the target is untouched and the temp file removed', async () => {
    const path = join(dir, 'target');
    // The rename fails: the target is a non-empty folder.
    writeFileSync(join(dir, 'keep'), '');
    await writeFileAtomic(join(dir, 'target', 'inner'), 'x');
    await expect(writeFileAtomic(path, 'data')).rejects.toThrow();
    expect(readdirSync(dir).sort()).toEqual(['keep', 'target']);
    expect(readFileSync(join(path, 'inner'), 'utf8')).toBe('x');
  });
});

describe('openAtomicWriter', () => {
  test('nothing appears at the target before commit; the complete file after', async () => {
    const path = join(dir, 'out', 'big.csv');
    const w = openAtomicWriter(path);
    const line = `${'y'.repeat(99)}\n`; // 100 bytes; 5000 lines cross the 64 KiB flush many times
    for (let i = 0; i < 5000; i++) w.write(line);
    expect(readdirSync(join(dir, 'out')).some((name) => name === 'big.csv')).toBe(false);
    await w.commit();
    expect(readFileSync(path, 'utf8')).toBe(line.repeat(5000));
    expect(readdirSync(join(dir, 'out'))).toEqual(['big.csv']);
  });

  test('multi-byte text survives block boundaries', async () => {
    const path = join(dir, 'utf8.txt');
    const w = openAtomicWriter(path);
    const text = 'é€😀'.repeat(30_000);
    w.write(text);
    await w.commit();
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  test('text and bytes interleave in order, small and larger than a block, ASCII or not', async () => {
    const path = join(dir, 'mixed.txt');
    const w = openAtomicWriter(path);
    const parts: string[] = [];
    for (let i = 0; i < 400; i++) {
      // lengths 0..~100 KB, so writes land on, across and beyond the 64 KiB block
      const piece = (i % 3 === 0 ? `row ${i},é€😀\n` : `row ${i},plain\n`).repeat((i * 37) % 3000);
      parts.push(piece);
      if (i % 2 === 0) w.write(piece);
      else w.writeBytes(new TextEncoder().encode(piece));
    }
    await w.commit();
    expect(readFileSync(path, 'utf8')).toBe(parts.join(''));
  });

  test('abort removes the temp file and keeps the old target', () => {
    const path = join(dir, 'summary.csv');
    writeFileSync(path, 'previous');
    const w = openAtomicWriter(path);
    w.write('partial');
    w.abort();
    w.abort(); // idempotent
    expect(readdirSync(dir)).toEqual(['summary.csv']);
    expect(readFileSync(path, 'utf8')).toBe('previous');
  });

  test('writing after commit or abort is an error', async () => {
    const w = openAtomicWriter(join(dir, 'x'));
    await w.commit();
    expect(() => w.write('late')).toThrow(/Expected an open writer for .*x, got one already committed/);
    const v = openAtomicWriter(join(dir, 'y'));
    v.abort();
    await expect(v.commit()).rejects.toThrow('got one already aborted');
  });

  test('a failed commit removes the temp file', async () => {
    const path = join(dir, 'target');
    await writeFileAtomic(join(path, 'inner'), 'x'); // target is a non-empty folder: rename fails
    const w = openAtomicWriter(path);
    w.write('data');
    await expect(w.commit()).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['target']);
  });
});

describe('temp files left by a killed process with the same pid (a retried pod is pid 1 again)', () => {
  /** Leftovers `<name>.tmp-<our pid>-1..n`, last modified an hour ago. */
  function leftovers(path: string, n: number): void {
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (let i = 1; i <= n; i++) {
      const file = `${path}.tmp-${process.pid}-${i}`;
      writeFileSync(file, 'half a file');
      utimesSync(file, hourAgo, hourAgo);
    }
  }

  test.each(['streaming', 'whole file'])('%s: taken names are skipped, not an EEXIST; the stale ones go at commit', async (kind) => {
    const path = join(dir, 'metrics.csv');
    leftovers(path, 300); // more names than this file's writers have drawn
    // A live writer of the same target (newer file) and an unrelated name: both stay.
    const live = `${path}.tmp-99999-1`;
    writeFileSync(live, 'in progress');
    const future = new Date(Date.now() + 60_000);
    utimesSync(live, future, future);
    writeFileSync(`${path}.tmp-notes`, 'not a temp file of ours');
    if (kind === 'streaming') {
      const w = openAtomicWriter(path);
      w.write('a,b\n');
      await w.commit();
    } else {
      await writeFileAtomic(path, 'a,b\n');
    }
    expect(readFileSync(path, 'utf8')).toBe('a,b\n');
    expect(readdirSync(dir).sort()).toEqual(['metrics.csv', 'metrics.csv.tmp-99999-1', 'metrics.csv.tmp-notes']);
  });

  test('an aborted writer removes only its own temp file', () => {
    const path = join(dir, 'events.csv');
    leftovers(path, 300);
    const w = openAtomicWriter(path);
    w.write('x');
    w.abort();
    expect(readdirSync(dir).length).toBe(300);
  });
});

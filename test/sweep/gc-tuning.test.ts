// When the program moves V8's background work onto the threads that need it (src/sweep/gc-tuning.ts):
// only when the simulation threads fill the cores, and then for the rest of the process.
import { describe, expect, test } from 'vitest';
import { inlineV8BackgroundWork } from '../../src/sweep/gc-tuning.js';

describe('V8 background work inline', () => {
  test('not while a core is left for V8 helper threads; from the first run whose threads fill the cores on', () => {
    expect(inlineV8BackgroundWork(1, 2)).toBe(false); // in-process on 2 cores: the helpers use the other
    expect(inlineV8BackgroundWork(3, 4)).toBe(false);
    expect(inlineV8BackgroundWork(2, 2)).toBe(true);
    expect(inlineV8BackgroundWork(1, 2)).toBe(true); // V8 flags are per process: they stay set
  });
});

import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildRunJson, sha256Hex, writeRunJsonAtomic } from '../../src/output/run-json.js';

const info = {
  version: '0.1.0',
  scenario: 'quickstart',
  scenarioHash: sha256Hex('kind: Scenario\n'),
  commandLine: ['kubesim-des', 'run', 'scenarios/quickstart.yaml', '--seed', '7'],
  seed: 7,
  replications: 2,
  points: 1,
  workers: 4,
  wallTimeS: 2.5,
  eventsProcessed: 1_000_000,
};

describe('sha256Hex', () => {
  test('known digests', () => {
    // sha256("") and sha256("abc") from FIPS 180-2
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sha256Hex(Buffer.from('abc'))).toBe(sha256Hex('abc'));
  });
});

describe('buildRunJson', () => {
  test('keys in a fixed order whatever the input order; eventsPerSecond = 1e6 / 2.5 = 400000', () => {
    const shuffled = Object.fromEntries(Object.entries(info).reverse()) as typeof info;
    const text = buildRunJson(shuffled);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual([
      'version', 'scenario', 'scenarioHash', 'commandLine', 'seed', 'replications', 'points', 'workers',
      'wallTimeS', 'eventsProcessed', 'eventsPerSecond',
    ]);
    expect(parsed.eventsPerSecond).toBe(400_000);
    expect(text).toBe(buildRunJson(info));
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toContain('\n  "version": "0.1.0",\n');
  });

  test('inputsHash, when given, right after scenarioHash', () => {
    const parsed = JSON.parse(buildRunJson({ ...info, inputsHash: sha256Hex('inputs') })) as Record<string, unknown>;
    expect(Object.keys(parsed).slice(0, 5)).toEqual(['version', 'scenario', 'scenarioHash', 'inputsHash', 'commandLine']);
    expect(parsed.inputsHash).toBe(sha256Hex('inputs'));
  });

  test('per-(point, replication) seeds come last, with their own fixed key order', () => {
    const parsed = JSON.parse(
      buildRunJson({ ...info, seeds: [{ seed: 11, replication: 0, point: 0 }, { replication: 1, point: 0, seed: 12 }] }),
    ) as { seeds: Record<string, number>[] };
    expect(Object.keys(parsed).at(-1)).toBe('seeds');
    expect(parsed.seeds.map((s) => Object.keys(s))).toEqual([
      ['point', 'replication', 'seed'],
      ['point', 'replication', 'seed'],
    ]);
    expect(parsed.seeds[1]!.seed).toBe(12);
  });

  test('zero wall time gives a null rate rather than Infinity', () => {
    expect(JSON.parse(buildRunJson({ ...info, wallTimeS: 0 })).eventsPerSecond).toBeNull();
  });
});

describe('run.json seeds streamed', () => {
  // The seeds are written one by one (a run streams them from disk); the bytes must be those of
  // JSON.stringify of the whole object, for no seeds, one, and many, with shard and mergedShards.
  const shard = { index: 1, count: 3 };
  const merged = [{ dir: 'a', shard, commandLine: ['x'], workers: 2, wallTimeS: 1.5 }];
  const cases = [[], [{ point: 0, replication: 0, seed: 4294967295 }], Array.from({ length: 5 }, (_, r) => ({ point: r % 2, replication: r, seed: 1000 + r }))];
  test.each(cases.map((seeds) => [seeds.length, seeds] as const))('%i seeds: the bytes of JSON.stringify', async (_, seeds) => {
    for (const extra of [{}, { shard }, { shard, mergedShards: merged }]) {
      const full = { ...info, ...extra, seeds };
      const o = full as Record<string, unknown>;
      const want = `${JSON.stringify(
        {
          version: o.version, scenario: o.scenario, scenarioHash: o.scenarioHash, commandLine: o.commandLine, seed: o.seed,
          replications: o.replications, points: o.points, workers: o.workers, wallTimeS: o.wallTimeS,
          eventsProcessed: o.eventsProcessed, eventsPerSecond: 400_000, ...extra, seeds,
        },
        null,
        2,
      )}\n`;
      // A generator, iterated once, as ResultWriter.seeds() gives them.
      const text = buildRunJson({ ...full, seeds: (function* () { yield* seeds; })() });
      expect(text).toBe(want);
      const path = join(mkdtempSync(join(tmpdir(), 'kubesim-runjson-')), 'run.json');
      await writeRunJsonAtomic(path, full);
      expect(readFileSync(path, 'utf8')).toBe(want);
    }
  });
});

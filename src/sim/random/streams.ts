// Deterministic randomness. One stream per source of randomness, derived from
// (scenario seed, sweep point, replication, stream name), so that changing one part of a
// scenario (say, the scheduler policy) does not reshuffle another (when nodes fail): common
// random numbers across policies and sweep points (STYLE habit 5). Never Math.random.

import seedrandom from 'seedrandom';

/** A uniform [0, 1) generator. */
export type Rng = () => number;

/**
 * cyrb53: a fast, well-mixed 53-bit string hash (public domain, bryc). Used only to derive
 * seeds, never in the event loop.
 */
export function hash53(text: string, salt = 0): number {
  let h1 = 0xdeadbeef ^ salt;
  let h2 = 0x41c6ce57 ^ salt;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/**
 * The seed of one replication of one sweep point: a 32-bit unsigned integer, printed in
 * metrics.csv so that any single task can be re-run alone.
 */
export function replicationSeed(scenarioSeed: number, point: number, replication: number): number {
  return hash53(`kubesim/${scenarioSeed}/${point}/${replication}`) % 4294967296;
}

/** Hands out named, independent streams for one replication. */
export class RandomStreams {
  constructor(readonly seed: number) {}

  /** A fresh stream; the same name always yields the same sequence for the same seed. */
  stream(name: string): Rng {
    const prng = seedrandom.alea(`${this.seed}/${name}`);
    return () => prng();
  }
}

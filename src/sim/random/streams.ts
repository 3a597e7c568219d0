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

/** 2^-32. */
const INV_2_32 = 2.3283064365386963e-10;

/**
 * Baagøe's Mash, as seedrandom's alea.js runs it: folds `text` into the running state `n` (a
 * double) and returns the new state; `(n >>> 0) * 2^-32` is the value mash(text) returns.
 */
function mash(n: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    n += text.charCodeAt(i);
    let h = 0.02519603282416938 * n;
    n = h >>> 0;
    h -= n;
    h *= n;
    n = h >>> 0;
    h -= n;
    n += h * 0x100000000;
  }
  return n;
}

/**
 * Alea's seeding starts with mash(' ') three times from a fixed state: its result is the same
 * for every stream, so it is worked out once (state after the three calls, and the three values).
 */
const SPACES = (() => {
  const n1 = mash(0xefc8249d, ' ');
  const n2 = mash(n1, ' ');
  const n3 = mash(n2, ' ');
  return { n: n3, s0: (n1 >>> 0) * INV_2_32, s1: (n2 >>> 0) * INV_2_32, s2: (n3 >>> 0) * INV_2_32 };
})();

/** Hands out named, independent streams for one replication. */
export class RandomStreams {
  /** `${seed}/`, the start of every stream's seed text. */
  private readonly prefix: string;

  constructor(readonly seed: number) {
    this.prefix = `${seed}/`;
  }

  /**
   * A fresh stream; the same name always yields the same sequence for the same seed: exactly
   * seedrandom's `alea(`${seed}/${name}`)` (a test compares the draws). The generator is
   * seedrandom's; only its seeding is worked out here, with the same arithmetic in the same
   * order, because seedrandom's costs a string concatenation, six Mash passes and closures per
   * stream and a small scenario creates dozens of streams per replication (one per node and
   * failure entry); `family` also shares the first pass over a common prefix.
   */
  stream(name: string): Rng {
    return this.alea(mash(mash(SPACES.n, this.prefix), name), name, '');
  }

  /**
   * The streams named `${family}${member}` for many members (one per node, say): `of(member)`
   * draws exactly what `stream(family + member)` draws. Alea's first Mash pass over the seed text
   * starts from the same state for every stream, so its pass over `${seed}/${family}` is done once
   * here instead of once per member (the second and third passes depend on the whole name).
   */
  family(family: string): { of(member: string): Rng } {
    const afterFamily = mash(mash(SPACES.n, this.prefix), family);
    return { of: (member) => this.alea(mash(afterFamily, member), family, member) };
  }

  /**
   * seedrandom's `alea(`${seed}/${head}${tail}`)`, given `n1`, the Mash state after the first
   * pass over that text. Alea's seeding: s_i = mash(' ') - mash(text), wrapped into [0, 1), for
   * i = 0, 1, 2, with one Mash state carried through all six calls.
   */
  private alea(n1: number, head: string, tail: string): Rng {
    let n = n1;
    let s0 = SPACES.s0 - (n >>> 0) * INV_2_32;
    if (s0 < 0) s0 += 1;
    n = mash(mash(mash(n, this.prefix), head), tail);
    let s1 = SPACES.s1 - (n >>> 0) * INV_2_32;
    if (s1 < 0) s1 += 1;
    n = mash(mash(mash(n, this.prefix), head), tail);
    let s2 = SPACES.s2 - (n >>> 0) * INV_2_32;
    if (s2 < 0) s2 += 1;
    // The draws are seedrandom's own Alea, started from the state its seeding would reach.
    const prng = seedrandom.alea('', { state: { c: 1, s0, s1, s2 } });
    return () => prng();
  }
}

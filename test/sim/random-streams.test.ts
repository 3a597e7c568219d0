// RandomStreams writes seedrandom's Alea out by hand (cheaper seeding): every stream must draw
// exactly what seedrandom.alea(`${seed}/${name}`) draws, bit for bit, or every simulated number
// would move. Compared over seeds at the edges of their range and names as the simulator makes
// them (node names, workload keys, non-ASCII), 2,000 draws each.
import { describe, expect, it } from 'vitest';
import seedrandom from 'seedrandom';
import { RandomStreams } from '../../src/sim/random/streams.js';

const seeds = [0, 1, 7, 123456789, 4294967295];
const names = ['scheduler', 'node-crash/0/general-0-eu-west-1a', 'startup/Deployment/default/checkout', 'drain/3', '', 'spot/1/gpu-ñ-节点'];

describe('RandomStreams.stream', () => {
  for (const seed of seeds) {
    it(`draws what seedrandom.alea draws, seed ${seed}`, () => {
      const streams = new RandomStreams(seed);
      for (const name of names) {
        const mine = streams.stream(name);
        const theirs = seedrandom.alea(`${seed}/${name}`);
        for (let i = 0; i < 2000; i++) expect(mine()).toBe(theirs());
      }
    });
  }

  it('family(f).of(m) draws what seedrandom.alea(`${seed}/${f}${m}`) draws (also with empty parts)', () => {
    const cases: [string, string][] = [['node-crash/0/', 'general-0'], ['node-crash/1/', 'gpu-ñ-12'], ['', 'scheduler'], ['drain/', ''], ['', '']];
    for (const seed of seeds) {
      const streams = new RandomStreams(seed);
      for (const [family, member] of cases) {
        const mine = streams.family(family).of(member);
        const theirs = seedrandom.alea(`${seed}/${family}${member}`);
        for (let i = 0; i < 500; i++) expect(mine()).toBe(theirs());
      }
    }
  });

  it('gives independent streams: a second stream of the same name restarts its sequence', () => {
    const streams = new RandomStreams(42);
    const a = streams.stream('x');
    const first = [a(), a(), a()];
    const b = streams.stream('x');
    expect([b(), b(), b()]).toEqual(first);
    // another name, another sequence
    const c = streams.stream('y');
    expect(c()).not.toBe(first[0]);
  });

  it('draws in [0, 1)', () => {
    const r = new RandomStreams(9).stream('range');
    for (let i = 0; i < 10000; i++) {
      const x = r();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});

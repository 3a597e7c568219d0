// PodStore's per-owner list: every live pod of a workload, none of another's or a released one.
import { expect, it } from 'vitest';
import { PodStore } from '../../src/sim/cluster/pods.js';

const ofOwner = (s: PodStore, w: number) => {
  const out: number[] = [];
  for (let p = s.firstOfOwner(w); p >= 0; p = s.nextOfOwner[p]!) out.push(p);
  return out.sort((a, b) => a - b);
};

it('links on alloc, unlinks on release (head, middle, tail), survives growth and id reuse', () => {
  const s = new PodStore(2);
  const a = s.alloc(0, 0, 0, 0); // 0
  const b = s.alloc(1, 1, 0, 0); // 1
  const c = s.alloc(0, 0, 1, 0); // 2 (the store grows past 2)
  const d = s.alloc(0, 0, 2, 0); // 3
  expect(ofOwner(s, 0)).toEqual([a, c, d]);
  expect(ofOwner(s, 1)).toEqual([b]);
  expect(ofOwner(s, 40)).toEqual([]); // an owner never seen
  s.release(c); // middle of owner 0's list (d, c, a from the head)
  expect(ofOwner(s, 0)).toEqual([a, d]);
  s.release(d); // head
  s.release(b); // the only one
  expect(ofOwner(s, 0)).toEqual([a]);
  expect(ofOwner(s, 1)).toEqual([]);
  const e = s.alloc(1, 1, 1, 0); // reuses a freed id
  expect([c, d, b]).toContain(e);
  expect(ofOwner(s, 1)).toEqual([e]);
  s.release(a); // tail and only
  expect(ofOwner(s, 0)).toEqual([]);
});

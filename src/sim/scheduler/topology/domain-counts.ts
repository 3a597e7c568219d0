// Spread counts per topology domain, kept up to date like the per-node counts, so that
// PodTopologySpread reads a domain's count in O(1) when no node needs to be left out for the
// pod (no node-affinity or taint inclusion policy narrows the nodes): PreFilter and PreScore are
// then O(domains) instead of O(nodes).
//
// One entry per (spread slot, topology key) pair some constraint uses; cell numDomains[key] holds
// the pods on nodes without the key (kube scores them under the value "" with the system
// defaults). Rebuilt from the per-node counts when the domains change: O(nodes × pairs), cold.

import type { PodCounts } from './pod-counts.js';
import type { TopologyDomains } from './domains.js';
import { replicationArray } from '../../typed-arrays.js';

/**
 * The (slot, key) pairs some spread constraint counts per domain, as DomainCounts reads them.
 * Static for a scenario point: built once, with the rest of PodTopology's resolution
 * (TopologyResolution.pairs), and shared read-only by its replications.
 */
export interface PairIndex {
  readonly pairSlot: Int32Array;
  readonly pairKey: Int32Array;
  /** Pairs of each slot (slot -> pair ids). */
  readonly pairsOfSlot: readonly Int32Array[];
}

export function pairIndex(pairs: readonly { slot: number; key: number }[], slotCount: number): PairIndex {
  const bySlot: number[][] = Array.from({ length: slotCount }, () => []);
  pairs.forEach((p, i) => bySlot[p.slot]!.push(i));
  return {
    pairSlot: Int32Array.from(pairs, (p) => p.slot),
    pairKey: Int32Array.from(pairs, (p) => p.key),
    pairsOfSlot: bySlot.map((l) => Int32Array.from(l)),
  };
}

export class DomainCounts {
  /** perPair[p][d]: pods the pair's slot selects on nodes of domain d of the pair's key. */
  readonly perPair: Int32Array[];
  private readonly pairSlot: Int32Array;
  private readonly pairKey: Int32Array;
  /** Pairs of each slot (slot -> pair ids). */
  private readonly pairsOfSlot: readonly Int32Array[];

  constructor(index: PairIndex) {
    this.pairSlot = index.pairSlot;
    this.pairKey = index.pairKey;
    this.pairsOfSlot = index.pairsOfSlot;
    this.perPair = Array.from({ length: index.pairSlot.length }, () => replicationArray(Int32Array, 1));
  }

  /** Recomputes every pair from the per-node counts (after the domains changed). */
  rebuild(domains: TopologyDomains, counts: PodCounts): void {
    const numNodes = domains.numNodes;
    for (let p = 0; p < this.perPair.length; p++) {
      const k = this.pairKey[p]!;
      const size = domains.numDomains[k]! + 1;
      if (this.perPair[p]!.length < size) this.perPair[p] = replicationArray(Int32Array, Math.max(16, size * 2));
      const out = this.perPair[p]!;
      out.fill(0, 0, size);
      const dom = domains.domainOf[k]!;
      const slot = this.pairSlot[p]!;
      for (let n = 0; n < numNodes; n++) {
        const c = counts.counts[n * counts.S + slot]!;
        if (c === 0) continue;
        const d = dom[n]!;
        out[d < 0 ? size - 1 : d]! += c;
      }
    }
  }

  /** `d` more pods of the given slots on node n (domains in sync). */
  add(domains: TopologyDomains, slots: Int32Array, n: number, d: number): void {
    for (let i = 0; i < slots.length; i++) {
      const pairs = this.pairsOfSlot[slots[i]!]!;
      for (let j = 0; j < pairs.length; j++) {
        const p = pairs[j]!;
        const k = this.pairKey[p]!;
        const dom = domains.domainOf[k]![n]!;
        this.perPair[p]![dom < 0 ? domains.numDomains[k]! : dom]! += d;
      }
    }
  }
}

// kube: pkg/scheduler/framework/plugins/nodeaffinity (PreFilter, Filter, PreScore, Score,
// NormalizeScore), with component-helpers/scheduling/corev1/nodeaffinity for the matching.

import type { NodeSelectorTerm } from '../../../scenario/model.js';
import type { NodeTable } from '../../cluster/node-table.js';
import { matchesLabelSet, matchesNodeSelector, matchesNodeSelectorTerm, NODE_FIELD_NAME } from '../../cluster/selectors.js';
import { MAX_NODE_SCORE, Status, type FilterPlugin, type ScorePlugin } from '../framework.js';
import type { SchedPod } from '../sched-pod.js';
import { defaultNormalizeScore } from './normalize-score.js';

/** kube: nodeaffinity.ErrReasonPod. */
export const ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
/** kube: nodeaffinity errReasonConflict (PreFilter). */
export const ERR_REASON_CONFLICT = 'pod affinity terms conflict';

export interface NodeAffinityPreFilterResult {
  /** Node names the pod can only go to; null = all nodes. */
  nodeNames: string[] | null;
  /** Every term pins metadata.name and their union is empty. */
  conflict: boolean;
}

/**
 * kube: NodeAffinity.PreFilter's PreFilterResult. Within a term, `metadata.name In` field
 * requirements are intersected; across terms (ORed) the sets are united. Any term without
 * such a requirement makes every node eligible. Names are returned sorted.
 */
export function nodeAffinityPreFilter(terms: readonly NodeSelectorTerm[] | null): NodeAffinityPreFilterResult {
  if (terms === null) return { nodeNames: null, conflict: false };
  let names: Set<string> | null = null;
  for (const term of terms) {
    let termNames: Set<string> | null = null;
    for (const r of term.matchFields) {
      if (r.key !== NODE_FIELD_NAME || r.operator !== 'In') continue;
      const s = new Set(r.values);
      if (termNames === null) termNames = s;
      else for (const x of termNames) if (!s.has(x)) termNames.delete(x);
    }
    if (termNames === null) return { nodeNames: null, conflict: false };
    names = names === null ? termNames : new Set([...names, ...termNames]);
  }
  if (names === null) return { nodeNames: null, conflict: false };
  if (names.size === 0) return { nodeNames: null, conflict: true };
  return { nodeNames: [...names].sort(), conflict: false };
}

/**
 * kube: nodeaffinity.RequiredNodeAffinity.Match: `nodeSelector` (all labels equal) AND the
 * required terms (ORed; an empty term matches nothing).
 */
export function requiredNodeAffinityMatches(pod: SchedPod, nodeName: string, labels: Record<string, string>): boolean {
  if (pod.hasNodeSelector && !matchesLabelSet(pod.nodeSelector, labels)) return false;
  return pod.requiredTerms === null || matchesNodeSelector(pod.requiredTerms, nodeName, labels);
}

/** kube: nodeaffinity.PreferredSchedulingTerms.Score: Σ weights of the matching preferred terms. */
export function preferredNodeAffinityScore(pod: SchedPod, nodeName: string, labels: Record<string, string>): number {
  let score = 0;
  const terms = pod.preferredTerms;
  for (let i = 0; i < terms.length; i++) {
    if (matchesNodeSelectorTerm(terms[i]!.preference, nodeName, labels)) score += terms[i]!.weight;
  }
  return score;
}

/** kube: NodeAffinity.Filter. */
export class NodeAffinityFilter implements FilterPlugin {
  readonly name = 'NodeAffinity';
  constructor(private readonly nodes: NodeTable) {}

  filter(pod: SchedPod, n: number): number {
    return requiredNodeAffinityMatches(pod, this.nodes.names[n]!, this.nodes.labels[n]!) ? 0 : 1;
  }

  reasons(): string[] {
    return [ERR_REASON_POD];
  }
}

/**
 * kube: NodeAffinity Score: Σ weights of matching preferred terms, normalised with
 * DefaultNormalizeScore(100, reverse = false). PreScore Skip when the pod has none.
 * Reads the sum from the pod's static cache.
 */
export class NodeAffinityScore implements ScorePlugin {
  readonly name = 'NodeAffinity';

  preScore(pod: SchedPod): Status {
    return pod.preferredTerms.length === 0 ? Status.Skip : Status.Success;
  }

  score(pod: SchedPod, feasible: Int32Array, count: number, out: Float64Array): void {
    const s = pod.cache.affinityScore;
    for (let i = 0; i < count; i++) out[i] = s[feasible[i]!]!;
  }

  readonly normalizeScore = (scores: Float64Array, count: number): void =>
    defaultNormalizeScore(MAX_NODE_SCORE, false, scores, count);
}

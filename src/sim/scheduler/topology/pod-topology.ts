// What InterPodAffinity and PodTopologySpread need about the pods already placed. Resolved from
// the (static) pod templates once per scenario point and thread (scenarioTopology), shared by its
// replications:
// - every selector any template's terms or constraints use becomes a slot of `PodCounts`;
// - every topology key they name gets domain ids in `TopologyDomains`;
// - per template, a plan: which slots and keys its filters and scores read, including the
//   symmetric rules (other templates' terms that select this one), and the templates whose
//   binding can make it fit (for the scheduling queue).
//
// Matching follows kube's fwk.AffinityTerm.Matches: the pod's namespace must be in the term's
// namespaces (default: the term owner's own namespace, kube: getNamespacesFromPodAffinityTerm)
// or selected by its namespaceSelector, and its labels by the labelSelector (absent: nothing).
// A namespace's labels are `kubernetes.io/metadata.name: <name>` only (no Namespace objects).

import { LABEL_HOSTNAME, LABEL_ZONE, type LabelSelector, type PodAffinityTerm, type PodTemplate, type Workload } from '../../../scenario/model.js';
import type { NodeTable } from '../../cluster/node-table.js';
import { matchesLabelSelector } from '../../cluster/selectors.js';
import { DomainCounts, pairIndex, type PairIndex } from './domain-counts.js';
import { PodCounts, slotIndex, type SlotIndex } from './pod-counts.js';
import { TopologyDomains } from './domains.js';
import { packedMap } from '../../packed.js';

/** kube: v1.LabelMetadataName, the label the API server puts on every namespace. */
const LABEL_METADATA_NAME = 'kubernetes.io/metadata.name';

/** kube: interpodaffinity DefaultHardPodAffinityWeight (InterPodAffinityArgs.hardPodAffinityWeight). */
export const HARD_POD_AFFINITY_WEIGHT = 1;

/**
 * kube: podtopologyspread systemDefaultConstraints (defaultingType System in the default
 * profile): applied in scoring to pods without constraints whose controller selects them.
 */
const SYSTEM_DEFAULT_CONSTRAINTS = [
  { topologyKey: LABEL_HOSTNAME, maxSkew: 3 },
  { topologyKey: LABEL_ZONE, maxSkew: 5 },
] as const;

export interface TopologyTemplate {
  template: PodTemplate;
  namespace: string;
  /**
   * Selector of the pod's controlling ReplicaSet or StatefulSet (a Deployment's ReplicaSet uses
   * the Deployment's selector here), for the system default spreading (kube:
   * helper.DefaultSelector); null for other pods.
   */
  controllerSelector: LabelSelector | null;
}

/** One spread constraint resolved for the scheduler (kube: topologySpreadConstraint). */
export interface SpreadConstraint {
  slot: number;
  key: number;
  /** Pair id in PodTopology.domainCounts (per-domain counts of `slot` under `key`); -1 for a system-default hostname constraint. */
  pair: number;
  maxSkew: number;
  /** kube: MinDomains, ptr.Deref(c.MinDomains, 1). */
  minDomains: number;
  /** The constraint's selector matches the incoming pod itself (kube: selfMatchNum). */
  selfMatch: boolean;
  honorNodeAffinity: boolean;
  honorNodeTaints: boolean;
  hostname: boolean;
}

/** What one template's InterPodAffinity and PodTopologySpread read (ids into slots and keys). */
export interface TopologyPlan {
  /** Slot counting pods that match every required affinity term (kube: podMatchesAllAffinityTerms); -1 none. */
  affinitySlot: number;
  /** Key id of each required affinity term. */
  affinityKeys: Int32Array;
  /** The pod matches all its own required affinity terms (the first-pod special case). */
  affinitySelfMatch: boolean;
  /** Per required anti-affinity term: its slot and key. */
  antiSlots: Int32Array;
  antiKeys: Int32Array;
  /** Existing pods' required anti-affinity terms that select this pod: (slot of their template, key). */
  existingAntiSlots: Int32Array;
  existingAntiKeys: Int32Array;
  /** InterPodAffinity score inputs: per entry, pods of `slot` add `weight` to their node's domain of `key`. */
  scoreSlots: Int32Array;
  scoreKeys: Int32Array;
  scoreWeights: Float64Array;
  /** DoNotSchedule constraints (PodTopologySpread Filter). */
  spreadFilter: SpreadConstraint[];
  /** ScheduleAnyway constraints, or the system defaults (PodTopologySpread Score). */
  spreadScore: SpreadConstraint[];
  /** kube: requireAllTopologies: true unless the score constraints are the system defaults. */
  spreadScoreRequireAll: boolean;
  /** Filters to run at all (PreFilter does not return Skip outright). */
  readonly hasAffinityFilter: boolean;
}

/**
 * What PodTopology derives from the pod templates alone, with no node or pod in sight: the
 * selector slots and which templates each selects, the topology keys, the spread pairs, each
 * template's plan and the queue's wake lists. It is the same for every replication of a scenario
 * point, so a run resolves it once per point (scenarioTopology) and every replication shares it.
 * Never modified once built.
 */
export interface TopologyResolution {
  readonly keys: readonly string[];
  /** Per template, the selector slots that select it (PodCounts). */
  readonly slots: SlotIndex;
  /** The (slot, key) pairs some spread constraint counts per domain (DomainCounts). */
  readonly pairs: PairIndex;
  readonly plans: readonly TopologyPlan[];
  readonly wakes: readonly Int32Array[];
  readonly hasPodFilters: boolean;
}

/** Resolves the templates' affinity terms and spread constraints (see TopologyResolution). */
export function resolveTopology(templates: readonly TopologyTemplate[], systemDefaults = true): TopologyResolution {
  const T = templates.length;
  const keys: string[] = [];
  const keyId = (k: string): number => {
    let i = keys.indexOf(k);
    if (i < 0) i = keys.push(k) - 1;
    return i;
  };
  const members: Uint8Array[] = [];
  const live: boolean[] = [];
  const addSlot = (selects: (t: number) => boolean, isLive: boolean): number => {
    const m = new Uint8Array(T);
    for (let t = 0; t < T; t++) m[t] = selects(t) ? 1 : 0;
    members.push(m);
    live.push(isLive);
    return members.length - 1;
  };
  const labelsOf = (t: number): Record<string, string> => templates[t]!.template.labels;
  const nsOf = (t: number): string => templates[t]!.namespace;
  const termSelects = (term: PodAffinityTerm, owner: number, t: number): boolean =>
    affinityTermMatches(term, nsOf(owner), labelsOf(t), nsOf(t));

  // Slot of "pods of template B", for templates whose own terms other pods must respect.
  const ownSlot = new Int32Array(T).fill(-1);
  const withTerms: number[] = []; // templates with any pod (anti-)affinity term, ascending
  for (let b = 0; b < T; b++) {
    const { podAffinity, podAntiAffinity } = templates[b]!.template;
    const any =
      podAffinity.required.length + podAffinity.preferred.length + podAntiAffinity.required.length + podAntiAffinity.preferred.length;
    if (any > 0) {
      ownSlot[b] = addSlot((t) => t === b, false);
      withTerms.push(b);
    }
  }

  const pairs: { slot: number; key: number }[] = [];
  const pairIds = new Map<string, number>();
  const pairId = (slot: number, key: number): number => {
    let i = pairIds.get(`${slot}/${key}`);
    if (i === undefined) pairIds.set(`${slot}/${key}`, (i = pairs.push({ slot, key }) - 1));
    return i;
  };
  const plans: TopologyPlan[] = [];
  const wakeSlots: number[][] = []; // per template: slots whose new members can help it
  for (let a = 0; a < T; a++) {
    const { template } = templates[a]!;
    const req = template.podAffinity.required;
    const anti = template.podAntiAffinity.required;
    let affinitySlot = -1;
    if (req.length > 0) affinitySlot = addSlot((t) => req.every((term) => termSelects(term, a, t)), false);
    const antiSlots = packedMap(anti, (term) => addSlot((t) => termSelects(term, a, t), false));

    const existingAntiSlots: number[] = [];
    const existingAntiKeys: number[] = [];
    const scoreSlots: number[] = [];
    const scoreKeys: number[] = [];
    const scoreWeights: number[] = [];
    // kube: processExistingPod, the incoming pod's preferred terms (+w / -w per matching pod).
    for (const { weight, term } of template.podAffinity.preferred) {
      scoreSlots.push(addSlot((t) => termSelects(term, a, t), false));
      scoreKeys.push(keyId(term.topologyKey));
      scoreWeights.push(weight);
    }
    for (const { weight, term } of template.podAntiAffinity.preferred) {
      scoreSlots.push(addSlot((t) => termSelects(term, a, t), false));
      scoreKeys.push(keyId(term.topologyKey));
      scoreWeights.push(-weight);
    }
    for (const b of withTerms) {
      const other = templates[b]!.template;
      // kube: getExistingAntiAffinityCounts: existing pods' required anti-affinity terms matching the pod.
      for (const term of other.podAntiAffinity.required) {
        if (!termSelects(term, b, a)) continue;
        existingAntiSlots.push(ownSlot[b]!);
        existingAntiKeys.push(keyId(term.topologyKey));
      }
      // kube: processExistingPod, the existing pod's terms matching the incoming pod.
      for (const term of other.podAffinity.required) {
        if (!termSelects(term, b, a)) continue;
        scoreSlots.push(ownSlot[b]!);
        scoreKeys.push(keyId(term.topologyKey));
        scoreWeights.push(HARD_POD_AFFINITY_WEIGHT);
      }
      for (const { weight, term } of other.podAffinity.preferred) {
        if (!termSelects(term, b, a)) continue;
        scoreSlots.push(ownSlot[b]!);
        scoreKeys.push(keyId(term.topologyKey));
        scoreWeights.push(weight);
      }
      for (const { weight, term } of other.podAntiAffinity.preferred) {
        if (!termSelects(term, b, a)) continue;
        scoreSlots.push(ownSlot[b]!);
        scoreKeys.push(keyId(term.topologyKey));
        scoreWeights.push(-weight);
      }
    }

    // PodTopologySpread (kube: filterTopologySpreadConstraints, buildDefaultConstraints).
    const spreadSlot = (sel: LabelSelector | null): number =>
      // kube: countPodsMatchSelector: same namespace; an empty selector counts nothing.
      addSlot((t) => sel !== null && !isEmptySelector(sel) && nsOf(t) === nsOf(a) && matchesLabelSelector(sel, labelsOf(t)), true);
    const spreadFilter: SpreadConstraint[] = [];
    const spreadScore: SpreadConstraint[] = [];
    for (const c of template.topologySpreadConstraints) {
      const slot = spreadSlot(c.labelSelector);
      const key = keyId(c.topologyKey);
      const resolved: SpreadConstraint = {
        slot,
        key,
        pair: pairId(slot, key),
        maxSkew: c.maxSkew,
        minDomains: c.minDomains ?? 1,
        selfMatch: c.labelSelector !== null && matchesLabelSelector(c.labelSelector, template.labels),
        honorNodeAffinity: c.nodeAffinityPolicy === 'Honor',
        honorNodeTaints: c.nodeTaintsPolicy === 'Honor',
        hostname: c.topologyKey === LABEL_HOSTNAME,
      };
      (c.whenUnsatisfiable === 'DoNotSchedule' ? spreadFilter : spreadScore).push(resolved);
    }
    const controller = templates[a]!.controllerSelector;
    let spreadScoreRequireAll = true;
    if (systemDefaults && template.topologySpreadConstraints.length === 0 && controller !== null && !isEmptySelector(controller)) {
      spreadScoreRequireAll = false;
      const slot = spreadSlot(controller);
      for (const d of SYSTEM_DEFAULT_CONSTRAINTS) {
        const hostname = d.topologyKey === LABEL_HOSTNAME;
        spreadScore.push({
          slot,
          key: keyId(d.topologyKey),
          // Scoring reads per-node counts for the hostname key: no per-domain pair needed.
          pair: hostname ? -1 : pairId(slot, keyId(d.topologyKey)),
          maxSkew: d.maxSkew,
          minDomains: 1,
          selfMatch: matchesLabelSelector(controller, template.labels),
          honorNodeAffinity: true, // kube defaults: nodeAffinityPolicy Honor
          honorNodeTaints: false, // nodeTaintsPolicy Ignore
          hostname,
        });
      }
    }

    wakeSlots.push([...(affinitySlot >= 0 ? [affinitySlot] : []), ...spreadFilter.map((c) => c.slot)]);
    plans.push({
      affinitySlot,
      affinityKeys: Int32Array.from(req, (term) => keyId(term.topologyKey)),
      affinitySelfMatch: req.every((term) => termSelects(term, a, a)),
      antiSlots: Int32Array.from(antiSlots),
      antiKeys: Int32Array.from(anti, (term) => keyId(term.topologyKey)),
      existingAntiSlots: Int32Array.from(existingAntiSlots),
      existingAntiKeys: Int32Array.from(existingAntiKeys),
      scoreSlots: Int32Array.from(scoreSlots),
      scoreKeys: Int32Array.from(scoreKeys),
      scoreWeights: Float64Array.from(scoreWeights),
      spreadFilter,
      spreadScore,
      spreadScoreRequireAll,
      hasAffinityFilter: req.length > 0 || anti.length > 0 || existingAntiSlots.length > 0,
    });
  }

  const wakes: number[][] = Array.from({ length: T }, () => []);
  for (let a = 0; a < T; a++) {
    if (wakeSlots[a]!.length === 0) continue;
    for (let b = 0; b < T; b++) {
      if (wakeSlots[a]!.some((s) => members[s]![b] === 1)) wakes[b]!.push(a);
    }
  }
  return {
    keys,
    slots: slotIndex(T, members, live),
    pairs: pairIndex(pairs, members.length),
    plans,
    wakes: wakes.map((w) => Int32Array.from(w)),
    hasPodFilters: plans.some((p) => p.hasAffinityFilter || p.spreadFilter.length > 0),
  };
}

/** Per scenario point (its workload list), the resolution its replications share, in this thread. */
const resolvedByWorkloads = new WeakMap<readonly Workload[], TopologyResolution>();

/**
 * resolveTopology of a scenario point's workloads, computed on the first replication and reused:
 * it depends on the templates only (not on the scheduler policy, the seed or the nodes), and
 * resolving it in every replication cost a few percent of a small one, and, being hot only by
 * repetition, TurboFan compile time in every thread's warm-up (the largest single function).
 */
export function scenarioTopology(workloads: readonly Workload[]): TopologyResolution {
  let r = resolvedByWorkloads.get(workloads);
  if (r === undefined) resolvedByWorkloads.set(workloads, (r = resolveTopology(workloads.map(topologyTemplate))));
  return r;
}

/** One replication's topology state: the shared resolution plus its own domain ids and counts. */
export class PodTopology {
  readonly domains: TopologyDomains;
  readonly counts: PodCounts;
  /** Spread counts per domain (see domain-counts.ts). */
  readonly domainCounts: DomainCounts;
  /** Plan per template (index = template id). */
  readonly plans: readonly TopologyPlan[];
  /**
   * wakes[t]: templates whose pending pods a bind of a template-t pod can make schedulable
   * (kube QueueingHint: InterPodAffinity isSchedulableAfterPodChange when the added pod matches a
   * required affinity term; PodTopologySpread when it matches a constraint's selector).
   */
  readonly wakes: readonly Int32Array[];
  /** Some template has required pod affinity / anti-affinity or a DoNotSchedule spread constraint. */
  readonly hasPodFilters: boolean;

  constructor(
    private readonly nodes: NodeTable,
    resolved: TopologyResolution,
    opts: { capacity?: number } = {},
  ) {
    this.plans = resolved.plans;
    this.wakes = resolved.wakes;
    this.hasPodFilters = resolved.hasPodFilters;
    this.domains = new TopologyDomains(nodes, resolved.keys);
    this.counts = new PodCounts(resolved.slots, Math.max(nodes.count, opts.capacity ?? 0));
    this.domainCounts = new DomainCounts(resolved.pairs);
  }

  /** A PodTopology resolved from `templates` now (tests; a run uses scenarioTopology). */
  static fromTemplates(
    nodes: NodeTable,
    templates: readonly TopologyTemplate[],
    opts: { systemDefaultSpreading?: boolean; capacity?: number } = {},
  ): PodTopology {
    return new PodTopology(nodes, resolveTopology(templates, opts.systemDefaultSpreading ?? true), opts);
  }

  /** Brings domain ids and count storage up to date with the NodeTable. O(1) when unchanged. */
  sync(): void {
    this.counts.ensureNodes(this.nodes.count);
    if (this.domains.sync()) this.domainCounts.rebuild(this.domains, this.counts);
  }

  /** A pod of template t was bound to node n (kube: NodeInfo.AddPod). O(slots selecting t). */
  onBind(t: number, n: number): void {
    this.sync();
    this.counts.onBind(t, n);
    this.domainCounts.add(this.domains, this.counts.liveSlots(t), n, 1);
  }

  /** A bound pod of template t on node n got its deletionTimestamp: spread stops counting it. */
  onTerminating(t: number, n: number): void {
    this.sync();
    this.counts.onTerminating(t, n);
    this.domainCounts.add(this.domains, this.counts.liveSlots(t), n, -1);
  }

  /** A bound pod of template t left node n; `terminating`: spread already stopped counting it. */
  onRemove(t: number, n: number, terminating: boolean): void {
    this.sync();
    this.counts.onRemove(t, n, terminating);
    if (!terminating) this.domainCounts.add(this.domains, this.counts.liveSlots(t), n, -1);
  }
}

/**
 * A workload's pods as PodTopology sees them. The controller selector (system default spreading)
 * is the owner's: a Deployment's or ReplicaSet's ReplicaSet, a StatefulSet; Jobs, DaemonSets and
 * bare Pods have none among the kinds kube's helper.DefaultSelector looks at.
 */
export function topologyTemplate(w: Workload): TopologyTemplate {
  const owned = w.kind === 'Deployment' || w.kind === 'ReplicaSet' || w.kind === 'StatefulSet';
  return { template: w.template, namespace: w.namespace, controllerSelector: owned ? w.selector : null };
}

/** kube: fwk.AffinityTerm.Matches (namespaces from getNamespacesFromPodAffinityTerm). */
export function affinityTermMatches(
  term: PodAffinityTerm,
  termOwnerNamespace: string,
  podLabels: Record<string, string>,
  podNamespace: string,
): boolean {
  let nsOk: boolean;
  if (term.namespaces.length === 0 && term.namespaceSelector === null) nsOk = podNamespace === termOwnerNamespace;
  else {
    nsOk =
      term.namespaces.includes(podNamespace) ||
      (term.namespaceSelector !== null && matchesLabelSelector(term.namespaceSelector, { [LABEL_METADATA_NAME]: podNamespace }));
  }
  return nsOk && term.labelSelector !== null && matchesLabelSelector(term.labelSelector, podLabels);
}

function isEmptySelector(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
}

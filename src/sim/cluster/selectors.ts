// Label and node selectors with Kubernetes semantics.
//
// - `matchesLabelSelector`: metav1.LabelSelector (kube: metav1.LabelSelectorAsSelector, then
//   labels.Selector.Matches). Used for PDBs, ReplicaSets, pod (anti-)affinity.
// - `matchesNodeSelector*`: v1.NodeSelector (kube: component-helpers nodeaffinity.NodeSelector /
//   LazyErrorNodeSelector). Used for required and preferred node affinity.
//
// A requirement that upstream would refuse to build (labels.NewRequirement: In/NotIn without
// values, Exists/DoesNotExist with values, Gt/Lt without exactly one int64 value) matches
// nothing, which is what upstream's parse error does to the term or selector containing it.
// The scenario loader rejects such manifests, so this only keeps the helpers total.
//
// Nothing here allocates except Gt/Lt parsing (BigInt), which only runs when the scheduler
// rebuilds its static per-node cache.

import type {
  LabelSelector,
  LabelSelectorRequirement,
  NodeSelectorRequirement,
  NodeSelectorTerm,
} from '../../scenario/model.js';

/** The only field a node selector term may select on (kube: metav1.ObjectNameField). */
export const NODE_FIELD_NAME = 'metadata.name';

const hasOwn = Object.hasOwn;

/**
 * metav1.LabelSelector semantics: matchLabels and matchExpressions are ANDed; an empty selector
 * matches everything (kube: LabelSelectorAsSelector returns labels.Everything()).
 */
export function matchesLabelSelector(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const key in sel.matchLabels) {
    if (!hasOwn(sel.matchLabels, key)) continue;
    if (!hasOwn(labels, key) || labels[key] !== sel.matchLabels[key]) return false;
  }
  for (let i = 0; i < sel.matchExpressions.length; i++) {
    if (!matchesLabelRequirement(sel.matchExpressions[i]!, labels)) return false;
  }
  return true;
}

/**
 * A `nodeSelector` map: every key must be present with the same value
 * (kube: labels.SelectorFromSet in nodeaffinity.GetRequiredNodeAffinity). Empty matches all.
 */
export function matchesLabelSet(set: Record<string, string>, labels: Record<string, string>): boolean {
  for (const key in set) {
    if (!hasOwn(set, key)) continue;
    if (!hasOwn(labels, key) || labels[key] !== set[key]) return false;
  }
  return true;
}

/** One label requirement (kube: labels.Requirement.Matches, after labels.NewRequirement's checks). */
export function matchesLabelRequirement(
  req: LabelSelectorRequirement | NodeSelectorRequirement,
  labels: Record<string, string>,
): boolean {
  const has = hasOwn(labels, req.key);
  switch (req.operator) {
    case 'In':
      if (req.values.length === 0) return false; // NewRequirement: "must be non-empty"
      return has && req.values.includes(labels[req.key]!);
    case 'NotIn':
      if (req.values.length === 0) return false;
      return !has || !req.values.includes(labels[req.key]!);
    case 'Exists':
      if (req.values.length !== 0) return false; // NewRequirement: "must be empty"
      return has;
    case 'DoesNotExist':
      if (req.values.length !== 0) return false;
      return !has;
    case 'Gt':
    case 'Lt': {
      // kube: Requirement.Matches parses both sides with strconv.ParseInt(s, 10, 64).
      if (req.values.length !== 1 || !has) return false;
      const want = parseInt64(req.values[0]!);
      const got = parseInt64(labels[req.key]!);
      if (want === null || got === null) return false;
      return req.operator === 'Gt' ? got > want : got < want;
    }
    default:
      return false;
  }
}

/**
 * One field requirement of a node selector term: only In and NotIn with exactly one value
 * (kube: nodeSelectorRequirementsAsFieldSelector -> fields.OneTermEqualSelector /
 * OneTermNotEqualSelector). The node's only field is `metadata.name`; any other key reads "".
 */
export function matchesNodeFieldRequirement(req: NodeSelectorRequirement, nodeName: string): boolean {
  if (req.values.length !== 1) return false;
  const value = req.key === NODE_FIELD_NAME ? nodeName : '';
  switch (req.operator) {
    case 'In':
      return value === req.values[0];
    case 'NotIn':
      return value !== req.values[0];
    default:
      return false;
  }
}

/** kube: nodeaffinity isEmptyNodeSelectorTerm. Such a term selects no objects. */
export function isEmptyNodeSelectorTerm(term: NodeSelectorTerm): boolean {
  return term.matchExpressions.length === 0 && term.matchFields.length === 0;
}

/**
 * v1.NodeSelectorTerm: matchExpressions (labels) and matchFields (metadata.name) all ANDed; an
 * empty term matches nothing (kube: nodeaffinity.NewNodeSelector skips it; nodeSelectorTerm.match).
 */
export function matchesNodeSelectorTerm(
  term: NodeSelectorTerm,
  nodeName: string,
  labels: Record<string, string>,
): boolean {
  if (isEmptyNodeSelectorTerm(term)) return false;
  for (let i = 0; i < term.matchExpressions.length; i++) {
    if (!matchesLabelRequirement(term.matchExpressions[i]!, labels)) return false;
  }
  for (let i = 0; i < term.matchFields.length; i++) {
    if (!matchesNodeFieldRequirement(term.matchFields[i]!, nodeName)) return false;
  }
  return true;
}

/** v1.NodeSelector: terms ORed; no terms matches nothing (kube: LazyErrorNodeSelector.Match). */
export function matchesNodeSelector(
  terms: readonly NodeSelectorTerm[],
  nodeName: string,
  labels: Record<string, string>,
): boolean {
  for (let i = 0; i < terms.length; i++) {
    if (matchesNodeSelectorTerm(terms[i]!, nodeName, labels)) return true;
  }
  return false;
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const DECIMAL = /^[+-]?[0-9]+$/;

/** strconv.ParseInt(s, 10, 64): optional sign, decimal digits, int64 range; null on error. */
export function parseInt64(s: string): bigint | null {
  if (!DECIMAL.test(s)) return null;
  const v = BigInt(s);
  return v < INT64_MIN || v > INT64_MAX ? null : v;
}

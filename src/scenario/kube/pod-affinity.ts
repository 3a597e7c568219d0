// v1.PodAffinity / v1.PodAntiAffinity and v1.TopologySpreadConstraint, read with the API
// server's validation (kube: pkg/apis/core/validation validatePodAffinityTerm,
// validateWeightedPodAffinityTerms, validateTopologySpreadConstraints,
// validateMatchLabelKeysAndMismatchLabelKeys) and its creation-time rewriting: the
// `matchLabelKeys` / `mismatchLabelKeys` of a term, and the `matchLabelKeys` of a spread
// constraint, become `key In [value]` / `key NotIn [value]` requirements of the labelSelector,
// taken from the pod's own labels; a key the pod lacks is dropped (kube: pod strategy
// applyMatchLabelKeysAndMismatchLabelKeys, MatchLabelKeysInPodAffinity GA in v1.33;
// MatchLabelKeysInPodTopologySpreadSelectorMerge, on by default in v1.34).
//
// Namespaces: a term's `namespaces` and `namespaceSelector` are kept and honoured; the only label
// a namespace carries in the simulator is `kubernetes.io/metadata.name` (set by the API server on
// every namespace), so a namespaceSelector can select namespaces by name or all of them ({}).

import type { Cur } from '../cursor.js';
import type {
  LabelSelector,
  PodAffinityRules,
  PodAffinityTerm,
  TopologySpreadConstraint,
  WeightedPodAffinityTerm,
} from '../model.js';
import { checkLabelKey, readLabelSelector } from './labels.js';

const EMPTY_RULES = (): PodAffinityRules => ({ required: [], preferred: [] });

/** spec.affinity.podAffinity or podAntiAffinity (`c`); empty rules when absent. */
export function readPodAffinityRules(c: Cur, podLabels: Record<string, string>): PodAffinityRules {
  if (c.missing || c.entries() === undefined) return EMPTY_RULES();
  const rules = EMPTY_RULES();
  for (const t of c.child('requiredDuringSchedulingIgnoredDuringExecution').list() ?? []) {
    const term = readPodAffinityTerm(t, podLabels);
    if (term !== undefined) rules.required.push(term);
  }
  for (const w of c.child('preferredDuringSchedulingIgnoredDuringExecution').list() ?? []) {
    const term = readWeightedTerm(w, podLabels);
    if (term !== undefined) rules.preferred.push(term);
  }
  return rules;
}

/** kube: validateWeightedPodAffinityTerms: weight in 1..100. */
function readWeightedTerm(w: Cur, podLabels: Record<string, string>): WeightedPodAffinityTerm | undefined {
  if (w.entries() === undefined) return undefined;
  const weightCur = w.requireChild('weight');
  const weight = weightCur.int();
  if (weight !== undefined && (weight < 1 || weight > 100)) weightCur.error('must be in the range 1-100');
  const termCur = w.requireChild('podAffinityTerm');
  const term = termCur.missing ? undefined : readPodAffinityTerm(termCur, podLabels);
  if (weight === undefined || weight < 1 || weight > 100 || term === undefined) return undefined;
  return { weight, term };
}

/** kube: validatePodAffinityTerm: topologyKey can not be empty, and is a label key (ValidateLabelName). */
function readPodAffinityTerm(t: Cur, podLabels: Record<string, string>): PodAffinityTerm | undefined {
  if (t.entries() === undefined) return undefined;
  const keyCur = t.requireChild('topologyKey');
  const topologyKey = keyCur.str();
  if (topologyKey === '') keyCur.error('can not be empty');
  else if (topologyKey !== undefined) checkLabelKey(topologyKey, keyCur);
  let labelSelector = readLabelSelector(t.child('labelSelector')) ?? null;
  const namespaces = t.child('namespaces').strList();
  const nsCur = t.child('namespaceSelector');
  const namespaceSelector = readLabelSelector(nsCur) ?? null;
  const matchKeys = readLabelKeys(t.child('matchLabelKeys'));
  const mismatchKeys = readLabelKeys(t.child('mismatchLabelKeys'));
  const bad = checkLabelKeys(t, labelSelector, matchKeys, mismatchKeys);
  if (topologyKey === undefined || topologyKey === '' || bad) return undefined;
  if (labelSelector !== null) labelSelector = mergeLabelKeys(labelSelector, podLabels, matchKeys, mismatchKeys);
  return { labelSelector, namespaces, namespaceSelector, topologyKey };
}

/** spec.topologySpreadConstraints; kube: validateTopologySpreadConstraints. */
export function readTopologySpreadConstraints(c: Cur, podLabels: Record<string, string>): TopologySpreadConstraint[] {
  const out: TopologySpreadConstraint[] = [];
  const seen = new Set<string>();
  for (const item of c.list() ?? []) {
    if (item.entries() === undefined) continue;
    const skewCur = item.requireChild('maxSkew');
    const maxSkew = skewCur.int();
    if (maxSkew !== undefined && maxSkew <= 0) skewCur.error('must be greater than zero');
    const keyCur = item.requireChild('topologyKey');
    const topologyKey = keyCur.str();
    if (topologyKey === '') keyCur.error('can not be empty');
    const whenCur = item.requireChild('whenUnsatisfiable');
    const when = whenCur.str();
    if (when !== undefined && when !== 'DoNotSchedule' && when !== 'ScheduleAnyway') {
      whenCur.error(`unsupported value ${JSON.stringify(when)}: supported values: "DoNotSchedule", "ScheduleAnyway"`);
    }
    const minCur = item.child('minDomains');
    const minDomains = minCur.int() ?? null;
    if (minDomains !== null && minDomains <= 0) minCur.error('must be greater than zero');
    else if (minDomains !== null && when === 'ScheduleAnyway') {
      minCur.error(`can only use minDomains if whenUnsatisfiable=DoNotSchedule, not ScheduleAnyway`);
    }
    const nodeAffinityPolicy = readInclusionPolicy(item.child('nodeAffinityPolicy'), 'Honor');
    const nodeTaintsPolicy = readInclusionPolicy(item.child('nodeTaintsPolicy'), 'Ignore');
    let labelSelector = readLabelSelector(item.child('labelSelector')) ?? null;
    const matchKeys = readLabelKeys(item.child('matchLabelKeys'));
    const bad = checkLabelKeys(item, labelSelector, matchKeys, []);
    // kube: validateTopologySpreadConstraints: {topologyKey, whenUnsatisfiable} must be unique.
    if (topologyKey !== undefined && when !== undefined) {
      const pair = `${topologyKey}\u0000${when}`;
      if (seen.has(pair)) item.error(`Duplicate value: {${JSON.stringify(topologyKey)}, ${JSON.stringify(when)}}`);
      seen.add(pair);
    }
    if (
      maxSkew === undefined ||
      maxSkew <= 0 ||
      topologyKey === undefined ||
      topologyKey === '' ||
      (when !== 'DoNotSchedule' && when !== 'ScheduleAnyway') ||
      (minDomains !== null && (minDomains <= 0 || when !== 'DoNotSchedule')) ||
      nodeAffinityPolicy === undefined ||
      nodeTaintsPolicy === undefined ||
      bad
    ) {
      continue;
    }
    if (labelSelector !== null) labelSelector = mergeLabelKeys(labelSelector, podLabels, matchKeys, []);
    out.push({ maxSkew, topologyKey, whenUnsatisfiable: when, labelSelector, minDomains, nodeAffinityPolicy, nodeTaintsPolicy });
  }
  return out;
}

function readInclusionPolicy(c: Cur, dflt: 'Honor' | 'Ignore'): 'Honor' | 'Ignore' | undefined {
  const v = c.str();
  if (v === undefined) return c.missing ? dflt : undefined;
  if (v === 'Honor' || v === 'Ignore') return v;
  c.error(`unsupported value ${JSON.stringify(v)}: supported values: "Honor", "Ignore"`);
  return undefined;
}

/** matchLabelKeys / mismatchLabelKeys; kube: validateLabelKeys: each a label key (ValidateLabelName). */
function readLabelKeys(c: Cur): { key: string; at: Cur }[] {
  const out: { key: string; at: Cur }[] = [];
  for (const item of c.list() ?? []) {
    const key = item.str();
    if (key === undefined) continue;
    checkLabelKey(key, item);
    out.push({ key, at: item });
  }
  return out;
}

/**
 * kube: validateMatchLabelKeysAndMismatchLabelKeys / validateMatchLabelKeysInTopologySpread:
 * not without a labelSelector, no key in both lists, no key the labelSelector already uses.
 * True when an error was reported.
 */
function checkLabelKeys(
  owner: Cur,
  sel: LabelSelector | null,
  matchKeys: readonly { key: string; at: Cur }[],
  mismatchKeys: readonly { key: string; at: Cur }[],
): boolean {
  if (matchKeys.length === 0 && mismatchKeys.length === 0) return false;
  if (sel === null) {
    const at = matchKeys.length > 0 ? owner.child('matchLabelKeys') : owner.child('mismatchLabelKeys');
    at.error('must not be specified when labelSelector is not set');
    return true;
  }
  let bad = false;
  const selectorKeys = new Set([...Object.keys(sel.matchLabels), ...sel.matchExpressions.map((e) => e.key)]);
  const mismatch = new Set(mismatchKeys.map((k) => k.key));
  for (const { key, at } of matchKeys) {
    if (mismatch.has(key)) {
      at.error(`${JSON.stringify(key)} exists in both matchLabelKeys and mismatchLabelKeys`);
      bad = true;
    }
  }
  for (const [list, field] of [[matchKeys, 'matchLabelKeys'], [mismatchKeys, 'mismatchLabelKeys']] as const) {
    for (const { key, at } of list) {
      if (!selectorKeys.has(key)) continue;
      at.error(`${JSON.stringify(key)} exists in both ${field} and labelSelector`);
      bad = true;
    }
  }
  return bad;
}

/** kube: the API server's merge of matchLabelKeys (In) and mismatchLabelKeys (NotIn) into the selector. */
function mergeLabelKeys(
  sel: LabelSelector,
  podLabels: Record<string, string>,
  matchKeys: readonly { key: string }[],
  mismatchKeys: readonly { key: string }[],
): LabelSelector {
  const extra = [];
  for (const { key } of matchKeys) {
    if (Object.hasOwn(podLabels, key)) extra.push({ key, operator: 'In' as const, values: [podLabels[key]!] });
  }
  for (const { key } of mismatchKeys) {
    if (Object.hasOwn(podLabels, key)) extra.push({ key, operator: 'NotIn' as const, values: [podLabels[key]!] });
  }
  if (extra.length === 0) return sel;
  return { matchLabels: sel.matchLabels, matchExpressions: [...sel.matchExpressions, ...extra] };
}

// v1.NodeAffinity (required and preferred terms), read with the API server's validation.

import type { Cur } from '../cursor.js';
import type { NodeSelectorRequirement, NodeSelectorTerm, PreferredSchedulingTerm } from '../model.js';
import { readKeyOperatorValues } from './labels.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] as const;

/**
 * kube: ValidateNodeSelectorRequirement: the key is a label key (ValidateLabelName); In/NotIn
 * values are label values in required terms only (AllowInvalidLabelValueInRequiredNodeAffinity
 * false on create; preferred terms are validated with it true).
 */
function readExpression(e: Cur, required: boolean): NodeSelectorRequirement | undefined {
  const r = readKeyOperatorValues(e, OPERATORS, 'node selector', { labelKey: true, labelValues: required }) as NodeSelectorRequirement | undefined;
  if (r === undefined) return undefined;
  return checkGtLt(e, r);
}

function checkGtLt(e: Cur, r: NodeSelectorRequirement): NodeSelectorRequirement | undefined {
  if (r.operator === 'Gt' || r.operator === 'Lt') {
    const vals = e.child('values');
    if (r.values.length !== 1) return void vals.error("must be specified single value when `operator` is 'Lt' or 'Gt'");
    if (!/^-?\d+$/.test(r.values[0]!)) return void vals.error(`must be an integer for 'Lt' or 'Gt', got ${JSON.stringify(r.values[0])}`);
  }
  return r;
}

/** kube: ValidateNodeFieldSelectorRequirement: only metadata.name, In/NotIn, one value. */
function readField(e: Cur): NodeSelectorRequirement | undefined {
  const r = readKeyOperatorValues(e, OPERATORS, 'node selector', { labelKey: false, labelValues: false }) as NodeSelectorRequirement | undefined;
  if (r === undefined || checkGtLt(e, r) === undefined) return undefined;
  if (r.key !== 'metadata.name') return void e.child('key').error(`not a valid field selector key (only "metadata.name" is supported)`);
  if (r.operator !== 'In' && r.operator !== 'NotIn') return void e.child('operator').error("field selectors support only 'In' and 'NotIn'");
  if (r.values.length !== 1) return void e.child('values').error("must be only one value when `operator` is 'In' or 'NotIn' for node field selector");
  return r;
}

/** One NodeSelectorTerm; `required` for requiredDuringScheduling terms (label values checked). */
export function readNodeSelectorTerm(c: Cur, required: boolean): NodeSelectorTerm | undefined {
  if (c.entries() === undefined) return undefined;
  const matchExpressions: NodeSelectorRequirement[] = [];
  const matchFields: NodeSelectorRequirement[] = [];
  for (const e of c.child('matchExpressions').list() ?? []) {
    const r = readExpression(e, required);
    if (r !== undefined) matchExpressions.push(r);
  }
  for (const e of c.child('matchFields').list() ?? []) {
    const r = readField(e);
    if (r !== undefined) matchFields.push(r);
  }
  return { matchExpressions, matchFields };
}

/** requiredDuringSchedulingIgnoredDuringExecution: terms ORed; null when absent. */
export function readRequiredNodeAffinity(nodeAffinity: Cur): NodeSelectorTerm[] | null {
  const req = nodeAffinity.child('requiredDuringSchedulingIgnoredDuringExecution');
  if (req.missing || req.entries() === undefined) return null;
  const termsCur = req.requireChild('nodeSelectorTerms');
  const terms: NodeSelectorTerm[] = [];
  const list = termsCur.list();
  if (list === undefined) return null;
  if (list.length === 0) {
    termsCur.error('must have at least one node selector term');
    return null;
  }
  for (const t of list) {
    const term = readNodeSelectorTerm(t, true);
    if (term !== undefined) terms.push(term);
  }
  return terms;
}

/** preferredDuringSchedulingIgnoredDuringExecution; kube: weight must be in 1..100. */
export function readPreferredNodeAffinity(nodeAffinity: Cur): PreferredSchedulingTerm[] {
  const out: PreferredSchedulingTerm[] = [];
  for (const p of nodeAffinity.child('preferredDuringSchedulingIgnoredDuringExecution').list() ?? []) {
    if (p.entries() === undefined) continue;
    const weight = p.requireChild('weight').int({ min: 1, max: 100 });
    const pref = p.requireChild('preference');
    const preference = pref.missing ? undefined : readNodeSelectorTerm(pref, false);
    if (weight !== undefined && preference !== undefined) out.push({ weight, preference });
  }
  return out;
}

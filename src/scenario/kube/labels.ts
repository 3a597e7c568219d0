// metav1.LabelSelector: reading (with the API's validation) and matching.

import type { Cur } from '../cursor.js';
import type { LabelSelector, LabelSelectorRequirement } from '../model.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/**
 * Reads a LabelSelector. kube: metav1validation.ValidateLabelSelectorRequirement: In/NotIn need
 * values; Exists/DoesNotExist take none.
 */
export function readLabelSelector(c: Cur): LabelSelector | undefined {
  if (c.missing) return undefined;
  if (c.entries() === undefined) return undefined;
  const matchLabels = c.child('matchLabels').strMap();
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const e of c.child('matchExpressions').list() ?? []) {
    const r = readRequirement(e);
    if (r !== undefined) matchExpressions.push(r);
  }
  return { matchLabels, matchExpressions };
}

function readRequirement(e: Cur): LabelSelectorRequirement | undefined {
  return readKeyOperatorValues(e, OPERATORS, 'selector') as LabelSelectorRequirement | undefined;
}

/**
 * A {key, operator, values} requirement, shared by label selectors and node selectors
 * (kube: ValidateLabelSelectorRequirement / ValidateNodeSelectorRequirement): the operator must
 * be one of `operators`; In/NotIn need values, Exists/DoesNotExist take none. Other operators'
 * value rules (Gt/Lt) are the caller's.
 */
export function readKeyOperatorValues(
  e: Cur,
  operators: readonly string[],
  noun: string,
): { key: string; operator: string; values: string[] } | undefined {
  if (e.entries() === undefined) return undefined;
  const key = e.requireChild('key').str();
  const opCur = e.requireChild('operator');
  const operator = opCur.str();
  const values = e.child('values').strList();
  if (key === undefined || operator === undefined) return undefined;
  if (!operators.includes(operator)) {
    const list = operators.length > 1 ? `${operators.slice(0, -1).join(', ')} or ${operators[operators.length - 1]}` : operators[0];
    opCur.error(`${JSON.stringify(operator)} is not a valid ${noun} operator (use ${list})`);
    return undefined;
  }
  if ((operator === 'In' || operator === 'NotIn') && values.length === 0) {
    e.child('values').error(`must be specified when \`operator\` is 'In' or 'NotIn'`);
    return undefined;
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && values.length > 0) {
    e.child('values').error(`may not be specified when \`operator\` is 'Exists' or 'DoesNotExist'`);
    return undefined;
  }
  return { key, operator, values };
}

/** kube: labels.Selector.Matches (from metav1.LabelSelectorAsSelector); empty selects everything. */
export function selectorMatches(sel: LabelSelector, labels: Record<string, string>): boolean {
  for (const [k, v] of Object.entries(sel.matchLabels)) if (labels[k] !== v) return false;
  for (const r of sel.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    switch (r.operator) {
      case 'In':
        if (!has || !r.values.includes(labels[r.key]!)) return false;
        break;
      case 'NotIn':
        if (has && r.values.includes(labels[r.key]!)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export function selectorIsEmpty(sel: LabelSelector): boolean {
  return Object.keys(sel.matchLabels).length === 0 && sel.matchExpressions.length === 0;
}

// Labels and metav1.LabelSelector: reading (with the API's validation) and matching.
//
// Label keys and values are checked wherever the API server checks them (kube:
// k8s.io/apimachinery/pkg/util/validation IsQualifiedName, IsValidLabelValue, through
// apimachinery/pkg/apis/meta/v1/validation ValidateLabelName / ValidateLabels /
// ValidateLabelSelector): object and template labels, nodeSelector, selectors' matchLabels and
// matchExpressions. An invalid entry is reported and kept, so that a selector and the labels it
// selects stay consistent and one mistake gives one error.

import { isMap, type Cur } from '../cursor.js';
import type { LabelSelector, LabelSelectorRequirement } from '../model.js';
import { dns1123SubdomainErrors } from './meta.js';

const OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'] as const;

/** kube: validation.qualifiedNameFmt, the name part of a label key and (or empty) a label value. */
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
/** kube: validation.qualifiedNameMaxLength, LabelValueMaxLength. */
const NAME_MAX = 63;
const NAME_CHARS = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/**
 * kube: validation.IsQualifiedName: `[prefix/]name`, the prefix a DNS-1123 subdomain (at most
 * 253 characters), the name at most 63 characters of [A-Za-z0-9-_.] starting and ending with an
 * alphanumeric. Returns the problems (empty when valid).
 */
export function qualifiedNameErrors(value: string): string[] {
  const parts = value.split('/');
  if (parts.length > 2) return [`a qualified name ${NAME_CHARS}, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`];
  const errs: string[] = [];
  const name = parts[parts.length - 1]!;
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix === '') errs.push('prefix part must be non-empty');
    else for (const m of dns1123SubdomainErrors(prefix)) errs.push(`prefix part ${m}`);
  }
  if (name === '') errs.push('name part must be non-empty');
  else {
    if (name.length > NAME_MAX) errs.push(`name part must be no more than ${NAME_MAX} characters`);
    if (!QUALIFIED_NAME.test(name)) errs.push(`name part ${NAME_CHARS} (e.g. 'MyName', 'my.name' or '123-abc')`);
  }
  return errs;
}

/** kube: validation.IsValidLabelValue: empty, or at most 63 characters of [A-Za-z0-9-_.] starting and ending with an alphanumeric. */
export function labelValueErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > NAME_MAX) errs.push(`must be no more than ${NAME_MAX} characters`);
  if (value !== '' && !QUALIFIED_NAME.test(value)) errs.push(`a valid label value must be an empty string or ${NAME_CHARS.replace('must ', '')} (e.g. 'MyValue', 'my_value' or '12345')`);
  return errs;
}

/** kube: metav1validation.ValidateLabelName, reported at `at` (the key itself when `atKey`). True when valid. */
export function checkLabelKey(key: string, at: Cur, atKey = false): boolean {
  const errs = qualifiedNameErrors(key);
  if (errs.length === 0) return true;
  const msg = `invalid label key ${JSON.stringify(key)}: ${errs.join('; ')}`;
  if (atKey) at.errorAtKey(msg);
  else at.error(msg);
  return false;
}

/** kube: validation.IsValidLabelValue, reported at `at`. True when valid. */
export function checkLabelValue(value: string, at: Cur): boolean {
  const errs = labelValueErrors(value);
  if (errs.length === 0) return true;
  at.error(`invalid label value ${JSON.stringify(value)}: ${errs.join('; ')}`);
  return false;
}

/**
 * A map of labels: metadata.labels, a template's labels, nodeSelector, matchLabels, a Service
 * selector (kube: metav1validation.ValidateLabels). Values must be strings; invalid keys and
 * values are reported (at the key, at the value) and kept.
 */
export function readLabels(c: Cur): Record<string, string> {
  const labels = c.strMap();
  checkLabels(c);
  return labels;
}

/** kube: metav1validation.ValidateLabels: checks the keys and the string values, reports nothing else. */
function checkLabels(c: Cur): void {
  if (!isMap(c.value)) return;
  for (const [k, v] of Object.entries(c.value)) {
    const entry = c.child(k);
    checkLabelKey(k, entry, true);
    if (typeof v === 'string') checkLabelValue(v, entry);
  }
}

/**
 * Reads a LabelSelector (kube: metav1validation.ValidateLabelSelector, as on create:
 * AllowInvalidLabelValueInSelector false): matchLabels are labels; a requirement's key is a label
 * key and its values label values; In/NotIn need values; Exists/DoesNotExist take none.
 */
export function readLabelSelector(c: Cur): LabelSelector | undefined {
  if (c.missing) return undefined;
  if (c.entries() === undefined) return undefined;
  const matchLabels = readLabels(c.child('matchLabels'));
  const matchExpressions: LabelSelectorRequirement[] = [];
  for (const e of c.child('matchExpressions').list() ?? []) {
    const r = readRequirement(e);
    if (r !== undefined) matchExpressions.push(r);
  }
  return { matchLabels, matchExpressions };
}

function readRequirement(e: Cur): LabelSelectorRequirement | undefined {
  return readKeyOperatorValues(e, OPERATORS, 'selector', { labelKey: true, labelValues: true }) as LabelSelectorRequirement | undefined;
}

/**
 * A {key, operator, values} requirement, shared by label selectors and node selectors
 * (kube: ValidateLabelSelectorRequirement / ValidateNodeSelectorRequirement): with `labelKey`,
 * the key is a label key (ValidateLabelName); the operator must be one of `operators`; In/NotIn
 * need values, Exists/DoesNotExist take none; with `labelValues`, In/NotIn values are label
 * values (IsValidLabelValue). Other operators' value rules (Gt/Lt) are the caller's.
 */
export function readKeyOperatorValues(
  e: Cur,
  operators: readonly string[],
  noun: string,
  check: { labelKey: boolean; labelValues: boolean },
): { key: string; operator: string; values: string[] } | undefined {
  if (e.entries() === undefined) return undefined;
  const keyCur = e.requireChild('key');
  const key = keyCur.str();
  const opCur = e.requireChild('operator');
  const operator = opCur.str();
  const values = e.child('values').strList();
  if (check.labelKey && key !== undefined) checkLabelKey(key, keyCur);
  if (check.labelValues && (operator === 'In' || operator === 'NotIn')) {
    e.child('values').list()?.forEach((v) => {
      if (typeof v.value === 'string') checkLabelValue(v.value, v);
    });
  }
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

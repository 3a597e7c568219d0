// v1.Taint and v1.Toleration, read with the API server's validation rules.

import type { Cur } from '../cursor.js';
import type { Taint, TaintEffect, Toleration } from '../model.js';
import { didYouMean } from '../suggest.js';
import { checkLabelKey, checkLabelValue } from './labels.js';

const EFFECTS: readonly TaintEffect[] = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

function readEffect(c: Cur): TaintEffect | undefined {
  const e = c.str();
  if (e === undefined) return undefined;
  if (!(EFFECTS as readonly string[]).includes(e)) {
    c.error(`unsupported taint effect ${JSON.stringify(e)} (use NoSchedule, PreferNoSchedule or NoExecute)${didYouMean(e, EFFECTS)}`);
    return undefined;
  }
  return e as TaintEffect;
}

/**
 * A list of taints (node spec.taints or a pool's taints). kube: validateNodeTaints: key and
 * effect are required, the key a valid label name and the value a valid label value, and taints
 * are unique by (key, effect).
 */
export function readTaints(c: Cur): Taint[] {
  const out: Taint[] = [];
  for (const t of c.list() ?? []) {
    if (t.entries() === undefined) continue;
    const key = t.requireChild('key').str();
    const value = t.child('value').str() ?? '';
    const effect = t.child('effect').missing ? void t.requireChild('effect') : readEffect(t.child('effect'));
    if (key === undefined || effect === undefined) continue;
    if (key === '') {
      t.child('key').error('must not be empty');
      continue;
    }
    // kube: validateNodeTaints: the key is a label name, the value a label value.
    if (!checkLabelKey(key, t.child('key')) || !checkLabelValue(value, t.child('value'))) continue;
    if (out.some((o) => o.key === key && o.effect === effect)) {
      t.error(`taints must be unique by key and effect pair (duplicate ${key}:${effect})`);
      continue;
    }
    out.push({ key, value, effect });
  }
  return out;
}

/**
 * Pod spec.tolerations. kube: ValidateTolerations: operator defaults to Equal; a key is a label
 * name, an Equal value a label value; an empty key needs operator Exists; Exists takes no value;
 * tolerationSeconds needs effect NoExecute.
 */
export function readTolerations(c: Cur): Toleration[] {
  const out: Toleration[] = [];
  for (const t of c.list() ?? []) {
    if (t.entries() === undefined) continue;
    const key = t.child('key').str() ?? '';
    const opCur = t.child('operator');
    const op = opCur.str() ?? 'Equal';
    const value = t.child('value').str() ?? '';
    const effect: TaintEffect | '' | undefined = t.child('effect').missing || t.child('effect').value === '' ? '' : readEffect(t.child('effect'));
    const secondsCur = t.child('tolerationSeconds');
    const seconds = secondsCur.int() ?? null;
    if (effect === undefined || (!secondsCur.missing && seconds === null)) continue;
    if (op !== 'Equal' && op !== 'Exists') {
      opCur.error(`unsupported toleration operator ${JSON.stringify(op)} (use Equal or Exists)`);
      continue;
    }
    // kube: ValidateTolerations: a non-empty key is a label name; with Equal, the value a label value.
    if (key !== '' && !checkLabelKey(key, t.child('key'))) continue;
    if (op === 'Equal' && !checkLabelValue(value, t.child('value'))) continue;
    if (key === '' && op !== 'Exists') {
      opCur.error('operator must be Exists when `key` is empty, which means "match all values and all keys"');
      continue;
    }
    if (op === 'Exists' && value !== '') {
      t.child('value').error("value must be empty when `operator` is 'Exists'");
      continue;
    }
    if (seconds !== null && effect !== 'NoExecute') {
      t.child('effect').error("effect must be 'NoExecute' when `tolerationSeconds` is set");
      continue;
    }
    out.push({ key, operator: op, value, effect, tolerationSeconds: seconds });
  }
  return out;
}
